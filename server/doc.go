// Package server is the HTTP front door: CometChat's server REST API under
// /v3 and the client API the official SDK calls under /v3.0, over one
// Store, with committed changes fanned out through a Publisher.
//
// Callers:
//   - /v3: header apikey. The REST API Key has full access and may act as
//     a user with onBehalfOf; without it, changes are recorded as made by
//     app_system. The Auth Key may only create users and auth tokens.
//   - /v3.0: headers appId and authToken (the SDK), acting as that user,
//     or apiKey for the SDK's admin calls. Every /v3 route is served here
//     too; /me, /settings and /user_sessions exist only here.
//
// Decisions where CometChat is silent:
//   - HTTP status per error code is chosen in one place (respond.go); the
//     SDK reads only the body.
//   - POST /groups/{guid}/members adds members when the body has scope
//     lists and joins the caller otherwise (the SDK uses the path for both).
//   - Revoking a token (logout, delete, flush) closes all of the user's
//     sockets: the hub tracks sockets per user, not per token. Other
//     devices reconnect with their own JWTs.
//   - Presence is the hub's, so status filters on user and member lists
//     are applied here, over at most 10,000 rows.
//   - Message deletes are soft; "permanent" is accepted and not acted on.
package server
