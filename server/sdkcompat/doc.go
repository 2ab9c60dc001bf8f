// Package sdkcompat holds the end-to-end test that runs CometChat's official
// JavaScript SDK (@cometchat/chat-sdk-javascript, unmodified, pinned in
// harness/package-lock.json) against the real server over TLS.
//
// Each SDK user is one Node process (harness/user.js) because the SDK keeps
// its session in static singletons. The Go test drives every process over
// stdin/stdout with line-delimited JSON: commands in, replies and listener
// callbacks out.
//
// Setup: npm ci --prefix server/sdkcompat/harness. Without node, npm or the
// harness's node_modules the test skips, except under CI=true where it fails.
package sdkcompat
