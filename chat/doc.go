// Package chat is cometterm's domain model: the CometChat entities (users,
// groups, members, messages, conversations, receipts, reactions), the rules
// that govern them (validation limits, group privileges, join rules) and the
// error codes CometChat clients branch on.
//
// The package imports no transport, storage or UI code; the server, the
// store, the client transport and the TUI all speak in these types.
package chat
