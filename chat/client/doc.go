// Package client is the Go client library for the CometChat chat model: it
// logs in through the client REST API (/v3.0), keeps one WebSocket open
// with keepalives, reconnects with backoff, catches up on what was missed
// while away, and hands every frame to its caller as a typed chat.Event.
//
// It works against CometChat's cloud (AppID + Region) and against the
// server in this module (ServerURL). It knows nothing of any user
// interface.
//
// Events: one bounded channel. When the caller falls behind, the socket
// reader waits (and the server's own bounded queue eventually drops the
// connection, which catch-up then repairs); nothing is discarded while
// the caller still reads. Keepalive pings and pongs are not reported, and
// frames carrying this session's own deviceId are dropped as echoes, as
// the official SDK does. The auth frame is reported with the JWT masked.
//
// Catch-up: at every connection the client lists every message after the
// highest id it has handed out (at first: the newest at login; older ones
// are history the caller loads), across conversations (GET /messages), and
// falls back to paging each conversation that moved when the server has
// no such list. Missed messages come in id order, before any live frame
// that queued meanwhile, as the events they would have been live
// (MessageReceived with CatchUp set, MessageEdited, GroupMemberChanged…).
// Ids and muids seen recently are remembered so nothing is delivered
// twice, including messages the caller received through REST.
package client
