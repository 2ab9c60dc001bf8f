// Package realtime is the CometChat WebSocket hub: it authenticates
// sockets with the JWT from PUT /v3.0/me, relays what clients send (typing
// indicators, receipts, transient messages), derives presence from socket
// state, and fans out what the REST layer commits (messages, actions,
// reactions).
//
// Every connection has one reader goroutine (the HTTP handler) and one
// writer goroutine draining a bounded queue. Publishing resolves the
// recipients and encodes the frame once on the caller's goroutine, then
// hands it to one outbox goroutine that queues it on every socket in
// publish order; nothing waits for a socket. A consumer whose queue is full
// is disconnected ("slow consumer") instead of slowing everyone else down or
// growing memory, and a write stuck for longer than WriteTimeout is cut by
// a watchdog.
//
// Limits taken from CometChat's published constraints:
//   - typing indicators are not relayed in groups with more online members
//     than Options.TypingMemberLimit (1,000);
//   - receipts in groups with more members than Options.ReceiptMemberLimit
//     (300) are stored but not relayed, deliveredToAll/readByAll included;
//   - presence is not delivered while more than Options.PresenceUserLimit
//     (1,000) users are online.
//
// Close codes (the reason names the cause): 1008 for a refused or missing
// auth, idle timeout, slow consumer, write timeout and CloseUser; 1007 for
// malformed JSON; 1003 for binary frames; 1009 for frames over ReadLimit;
// 1011 for an internal error during auth; 1001 when the server shuts down.
// Other bad input (unknown frame types, bad bodies, typing or transient
// messages into a group the sender is not in, receipts for messages the
// reader cannot see) is dropped with a logged warning and changes nothing.
package realtime
