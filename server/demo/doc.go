// Package demo is the workspace that `cometterm` opens when it runs with no
// configuration: Seed fills an empty store with Marvel-flavoured users,
// groups and a few days of history, and Run brings the other demo users to
// life as ordinary clients of the server, so that presence, typing,
// receipts, replies, reactions and scope changes can be watched live.
//
// Everything here goes through public surfaces only: Seed through
// server.Store, Run through the chat/client library, exactly as any other
// client would.
package demo
