// Package sdkcompat holds the end-to-end tests that run CometChat's official
// JavaScript SDK (@cometchat/chat-sdk-javascript 4.2.0, unmodified, pinned
// in harness/package-lock.json) against `cometterm serve` over TLS.
//
// Each SDK user is one Node process (harness/user.js) because the SDK keeps
// its session in static singletons. The Go tests drive every process over
// stdin/stdout with line-delimited JSON: commands in, replies and listener
// callbacks out. The server runs as a child process with a self-signed
// certificate that Node trusts through NODE_EXTRA_CA_CERTS; certificate
// verification stays on (TestOfficialSDKVerifiesCertificate shows it).
//
// Setup: npm ci --prefix server/sdkcompat/harness. Without node, npm or the
// harness's node_modules the tests skip, except under CI=true where they
// fail.
//
// Environment:
//
//	SDKCOMPAT_COMETTERM_BIN  use this cometterm binary instead of building one
//
// On failure each SDK process's HTTP and WebSocket trace and the server's
// log go to the test log.
package sdkcompat
