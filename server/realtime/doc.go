// Package realtime is the CometChat WebSocket hub: it authenticates
// sockets with the JWT from PUT /v3.0/me, relays what clients send (typing
// indicators, receipts, transient messages), derives presence from socket
// state, and fans out what the REST layer commits (messages, actions,
// reactions).
//
// Every connection has one reader goroutine (the HTTP handler) and one
// writer goroutine draining a bounded queue. Publishing only enqueues: a
// consumer whose queue is full is disconnected ("slow consumer") instead of
// slowing everyone else down or growing memory.
//
// Limits taken from CometChat's published constraints:
//   - typing indicators are not relayed in groups with more online members
//     than Options.TypingMemberLimit (1,000);
//   - receipts in groups with more members than Options.ReceiptMemberLimit
//     (300) are stored but not relayed, deliveredToAll/readByAll included;
//   - presence is not delivered while more than Options.PresenceUserLimit
//     (1,000) users are online.
package realtime
