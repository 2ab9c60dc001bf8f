// Package client is the Go client library for the CometChat chat model: it
// logs in through the client REST API (/v3.0), keeps one WebSocket open
// with keepalives, reconnects with backoff, catches up on what was missed
// while away, and hands every frame to its caller as a typed chat.Event.
//
// It works against CometChat's cloud (AppID + Region) and against the
// server in this module (ServerURL). It knows nothing of any user
// interface.
package client
