package sdkcompat_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// step bounds one SDK call or one expected listener callback. Generous:
// the machine is small and shared, and a hang is what we are looking for.
const step = 20 * time.Second

// Seeded fixtures.
const (
	uidA      = "sdk-alice"
	nameA     = "Alice Liddell"
	uidB      = "sdk-bob"
	nameB     = "Bob Marley"
	guidPG    = "sdk-pg"
	namePG    = "Password Group"
	groupPass = "open sesame"
)

// TestOfficialSDKEndToEnd runs two users of CometChat's official JavaScript
// SDK, each in its own Node process, against the real server over TLS:
// login with UID and Auth Key, a text message with its sender, typing,
// read receipts, message history, conversations, joining a password
// group, logout.
func TestOfficialSDKEndToEnd(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)

	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidB, "name": nameB})
	// A creates the group and so is its owner and a member.
	srv.rest(t, "POST", "/v3/groups", uidA, map[string]any{
		"guid": guidPG, "name": namePG, "type": "password", "password": groupPass,
	})

	a := startUser(t, node, "A", srv.caFile)
	b := startUser(t, node, "B", srv.caFile)
	for _, u := range []*sdkUser{a, b} {
		u.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	}

	// Login: UID + Auth Key, the SDK's auth_tokens → PUT /me → WebSocket.
	login := func(u *sdkUser, uid, name string) {
		t.Helper()
		r := u.do("login", map[string]any{"uid": uid, "authKey": srv.authKey}, step)
		if got := r.str("user", "uid"); got != uid {
			t.Fatalf("%s: login returned uid %q, want %q", u.name, got, uid)
		}
		if got := r.str("user", "name"); got != name {
			t.Fatalf("%s: login returned name %q, want %q", u.name, got, name)
		}
		u.waitEvent("onConnected", step, nil)
	}
	login(a, uidA, nameA)
	login(b, uidB, nameB)
	// A subscribed to everyone's presence: B coming online proves both
	// sockets passed the server's auth, so nothing sent from here on can be
	// missed by either of them.
	on := a.waitEvent("onUserOnline", step, func(e msg) bool { return e.str("user", "uid") == uidB })
	if got := on.str("user", "name"); got != nameB {
		t.Errorf("A: onUserOnline user name %q, want %q", got, nameB)
	}

	// A text message from A, heard by B's listener with its sender.
	const hello = "hello Bob, from the official SDK ✓"
	sent := a.do("sendText", map[string]any{"receiver": uidB, "text": hello}, step).get("message")
	sentMsg := msg(sent.(map[string]any))
	msgID := sentMsg.str("id")
	if msgID == "" || sentMsg.str("text") != hello || sentMsg.str("sender", "uid") != uidA ||
		sentMsg.str("receiverId") != uidB || sentMsg.get("isTextMessage") != true {
		t.Fatalf("A: sendMessage resolved with %s", sentMsg)
	}
	got := b.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == msgID })
	checkText(t, "B: received", msg(got["message"].(map[string]any)), hello, uidA, nameA, uidB)

	// Typing started and ended, seen by B.
	a.do("startTyping", map[string]any{"receiver": uidB}, step)
	ts := b.waitEvent("onTypingStarted", step, nil)
	checkTyping(t, "B: onTypingStarted", ts, uidA, nameA, uidB)
	a.do("endTyping", map[string]any{"receiver": uidB}, step)
	te := b.waitEvent("onTypingEnded", step, nil)
	checkTyping(t, "B: onTypingEnded", te, uidA, nameA, uidB)

	// B acknowledges delivery, then reads A's message; A's listeners fire.
	b.do("markAsDelivered", map[string]any{"messageId": msgID}, step)
	dr := a.waitEvent("onMessagesDelivered", step, func(e msg) bool { return e.str("receipt", "messageId") == msgID })
	if dr.str("receipt", "sender", "uid") != uidB || dr.str("receipt", "receiptType") != "delivery" ||
		dr.get("receipt", "deliveredAt") == nil {
		t.Errorf("A: onMessagesDelivered receipt %s: want sender %s, receiptType delivery, deliveredAt", dr, uidB)
	}

	// B reads A's message; A's onMessagesRead fires.
	b.do("markAsRead", map[string]any{"messageId": msgID}, step)
	rr := a.waitEvent("onMessagesRead", step, func(e msg) bool { return e.str("receipt", "messageId") == msgID })
	if rr.str("receipt", "sender", "uid") != uidB || rr.str("receipt", "receiptType") != "read" ||
		rr.str("receipt", "receiverType") != "user" {
		t.Errorf("A: onMessagesRead receipt %s: want sender %s, receiptType read, receiverType user", rr, uidB)
	}
	if rr.get("receipt", "readAt") == nil {
		t.Errorf("A: onMessagesRead receipt has no readAt: %s", rr)
	}

	// B answers, so that history and conversations have both directions.
	const reply = "hi Alice — 二つ目のメッセージ"
	rep := msg(b.do("sendText", map[string]any{"receiver": uidA, "text": reply}, step).get("message").(map[string]any))
	replyID := rep.str("id")
	gotReply := a.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == replyID })
	checkText(t, "A: received", msg(gotReply["message"].(map[string]any)), reply, uidB, nameB, uidA)

	// History: MessagesRequestBuilder.fetchPrevious, oldest first, then the
	// SDK's end of history.
	hist := a.do("fetchPrevious", map[string]any{"uid": uidB, "limit": 30, "maxPages": 2}, step)
	pages := hist.get("pages").([]any)
	first := hist.list("pages", "0")
	if len(first) != 2 {
		t.Fatalf("A: fetchPrevious first page has %d messages, want 2: %s", len(first), hist)
	}
	checkText(t, "A: history[0]", first[0], hello, uidA, nameA, uidB)
	checkText(t, "A: history[1]", first[1], reply, uidB, nameB, uidA)
	if len(pages) != 2 || len(hist.list("pages", "1")) != 0 {
		t.Errorf("A: fetchPrevious: want a second, empty page (end of history), got %s", hist)
	}

	// The same history one message per page: the SDK walks back with the
	// cursor (id and sentAt of the oldest message it holds).
	paged := a.do("fetchPrevious", map[string]any{"uid": uidB, "limit": 1, "maxPages": 4}, step)
	var walked []string
	for i := range paged.get("pages").([]any) {
		for _, m := range paged.list("pages", fmt.Sprint(i)) {
			walked = append(walked, m.str("id"))
		}
	}
	if strings.Join(walked, ",") != replyID+","+msgID {
		t.Errorf("A: fetchPrevious one per page walked %v, want [%s %s] then an empty page: %s", walked, replyID, msgID, paged)
	}

	// Conversations: ConversationsRequestBuilder.fetchNext. The SDK asks for
	// page 2 as well; it must come back empty, not fail.
	checkConversation := func(u *sdkUser, with, withName, unread string) {
		t.Helper()
		r := u.do("fetchConversations", map[string]any{"limit": 30, "maxPages": 2}, step)
		var conv msg
		for _, c := range r.list("pages", "0") {
			if c.str("conversationType") == "user" && c.str("conversationWith", "uid") == with {
				conv = c
			}
		}
		if conv == nil {
			t.Fatalf("%s: no conversation with %s in %s", u.name, with, r)
		}
		if conv.str("conversationWith", "kind") != "user" || conv.str("conversationWith", "name") != withName {
			t.Errorf("%s: conversationWith %s: want a User named %q", u.name, conv.get("conversationWith"), withName)
		}
		if conv.str("lastMessage", "id") != replyID || conv.str("lastMessage", "text") != reply {
			t.Errorf("%s: lastMessage %s: want message %s %q", u.name, conv.get("lastMessage"), replyID, reply)
		}
		if conv.str("unreadMessageCount") != unread {
			t.Errorf("%s: unreadMessageCount %v, want %s", u.name, conv.get("unreadMessageCount"), unread)
		}
		if conv.str("conversationId") == "" {
			t.Errorf("%s: conversation without conversationId: %s", u.name, conv)
		}
		if n := len(r.list("pages", "1")); len(r.get("pages").([]any)) != 2 || n != 0 {
			t.Errorf("%s: conversations page 2: want empty, got %s", u.name, r)
		}
	}
	checkConversation(b, uidA, nameA, "0") // B read A's message and wrote the last one
	checkConversation(a, uidB, nameB, "1") // A has not read B's reply

	// B joins the password group: a wrong password is refused, the right
	// one lets B in, and A (a member) hears about it.
	wrong := b.try("joinGroup", map[string]any{"guid": guidPG, "type": "password", "password": "not it"}, step)
	if wrong["ok"] == true {
		t.Fatalf("B: joinGroup with a wrong password succeeded: %s", wrong)
	}
	if code := wrong.str("error", "code"); code != "ERR_WRONG_GROUP_PASS" {
		t.Errorf("B: joinGroup with a wrong password: error code %q, want ERR_WRONG_GROUP_PASS", code)
	}
	j := b.do("joinGroup", map[string]any{"guid": guidPG, "type": "password", "password": groupPass}, step)
	if j.str("group", "guid") != guidPG || j.str("group", "name") != namePG || j.get("group", "hasJoined") != true {
		t.Errorf("B: joinGroup resolved with %s: want the joined group %s", j, guidPG)
	}
	gj := a.waitEvent("onGroupMemberJoined", step, func(e msg) bool { return e.str("user", "uid") == uidB })
	if gj.str("group", "guid") != guidPG || gj.str("user", "name") != nameB || gj.str("action", "action") != "joined" {
		t.Errorf("A: onGroupMemberJoined %s: want %s joined %s", gj, uidB, guidPG)
	}

	// Users, groups and members through the SDK's request builders.
	users := b.do("fetchUsers", map[string]any{"limit": 30}, step)
	var seenA bool
	for _, u := range users.list("users") {
		if u.str("uid") == uidA {
			seenA = true
			if u.str("name") != nameA || u.str("status") != "online" {
				t.Errorf("B: UsersRequest lists A as %s: want %q, online", u, nameA)
			}
		}
	}
	if !seenA {
		t.Errorf("B: UsersRequest does not list %s: %s", uidA, users)
	}
	if u := b.do("getUser", map[string]any{"uid": uidA}, step); u.str("user", "name") != nameA || u.str("user", "status") != "online" {
		t.Errorf("B: getUser(%s) = %s: want %q, online", uidA, u, nameA)
	}
	groups := b.do("fetchGroups", map[string]any{"limit": 30}, step)
	var seenPG bool
	for _, g := range groups.list("groups") {
		if g.str("guid") == guidPG {
			seenPG = true
			if g.get("hasJoined") != true || g.str("type") != "password" || g.str("scope") != "participant" || g.str("name") != namePG {
				t.Errorf("B: GroupsRequest lists %s as %s: want joined, password, participant", guidPG, g)
			}
		}
	}
	if !seenPG {
		t.Errorf("B: GroupsRequest does not list %s: %s", guidPG, groups)
	}
	if g := a.do("getGroup", map[string]any{"guid": guidPG}, step); g.str("group", "membersCount") != "2" ||
		g.str("group", "scope") != "admin" || g.get("group", "hasJoined") != true {
		t.Errorf("A: getGroup(%s) = %s: want 2 members, A admin and joined", guidPG, g)
	}
	members := a.do("fetchGroupMembers", map[string]any{"guid": guidPG}, step)
	scopes := map[string]string{}
	for _, m := range members.list("members") {
		scopes[m.str("uid")] = m.str("scope")
	}
	if len(scopes) != 2 || scopes[uidA] != "admin" || scopes[uidB] != "participant" {
		t.Errorf("A: GroupMembersRequest gave %s: want %s admin, %s participant", members, uidA, uidB)
	}

	// Now a member, B hears A in the group.
	const inGroup = "welcome to the group, Bob"
	gm := msg(a.do("sendText", map[string]any{"receiver": guidPG, "receiverType": "group", "text": inGroup}, step).get("message").(map[string]any))
	gr := b.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == gm.str("id") })
	if m := msg(gr["message"].(map[string]any)); m.str("text") != inGroup || m.str("sender", "name") != nameA ||
		m.str("receiverId") != guidPG || m.str("receiverType") != "group" {
		t.Errorf("B: group message received as %s", m)
	}

	// A's conversations one per page: the group (latest) first, then B.
	convs := a.do("fetchConversations", map[string]any{"limit": 1, "maxPages": 4}, step)
	var order []string
	for i := range convs.get("pages").([]any) {
		for _, c := range convs.list("pages", fmt.Sprint(i)) {
			order = append(order, c.str("conversationType")+":"+c.str("conversationWith", "uid")+c.str("conversationWith", "guid"))
		}
	}
	if want := "group:" + guidPG + ",user:" + uidB; strings.Join(order, ",") != want {
		t.Errorf("A: conversations one per page %v, want %s", order, want)
	}

	// A edits, then deletes the group message; B's listeners hear both.
	const edited = "welcome to the group, Bob (edited)"
	ed := a.do("editText", map[string]any{"messageId": gm.str("id"), "receiver": guidPG, "receiverType": "group", "text": edited}, step)
	if ed.str("message", "id") != gm.str("id") || ed.str("message", "text") != edited || ed.get("editedAt") == nil {
		t.Errorf("A: editMessage resolved with %s", ed)
	}
	ee := b.waitEvent("onMessageEdited", step, func(e msg) bool { return e.str("message", "id") == gm.str("id") })
	if ee.str("message", "text") != edited || ee.str("editedBy") != uidA || ee.get("editedAt") == nil {
		t.Errorf("B: onMessageEdited %s: want the new text, editedBy %s and editedAt", ee, uidA)
	}
	del := a.do("deleteMessage", map[string]any{"messageId": gm.str("id")}, step)
	if del.str("message", "id") != gm.str("id") || del.get("deletedAt") == nil {
		t.Errorf("A: deleteMessage resolved with %s", del)
	}
	de := b.waitEvent("onMessageDeleted", step, func(e msg) bool { return e.str("message", "id") == gm.str("id") })
	if de.str("deletedBy") != uidA || de.get("deletedAt") == nil {
		t.Errorf("B: onMessageDeleted %s: want deletedBy %s and deletedAt", de, uidA)
	}

	// B leaves the group; A sees it go.
	b.do("leaveGroup", map[string]any{"guid": guidPG}, step)
	gl := a.waitEvent("onGroupMemberLeft", step, func(e msg) bool { return e.str("user", "uid") == uidB })
	if gl.str("group", "guid") != guidPG || gl.str("action", "action") != "left" {
		t.Errorf("A: onGroupMemberLeft %s: want %s left %s", gl, uidB, guidPG)
	}

	// Logout: B goes, its socket closes, A sees B offline; then A goes.
	b.do("logout", nil, step)
	b.waitEvent("wsClosed", step, nil)
	a.waitEvent("onUserOffline", step, func(e msg) bool { return e.str("user", "uid") == uidB })
	a.do("logout", nil, step)
	a.waitEvent("wsClosed", step, nil)
}

// TestOfficialSDKKeepAlive lets the SDK's 15-second ping run once: the
// server must answer with a pong within the SDK's 3 seconds, or the SDK
// drops the socket and reconnects.
func TestOfficialSDKKeepAlive(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})

	a := startUser(t, node, "A", srv.caFile)
	a.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	a.do("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	a.waitEvent("onConnected", step, nil)

	// The first ping goes 15 s after the auth reply.
	a.waitEvent("wsPing", 30*time.Second, nil)
	pinged := time.Now()
	a.waitEvent("wsPong", 3*time.Second, nil)
	// The SDK judges the pong 3 s after its ping: stay connected past that.
	a.expectNoEvent("onDisconnected", time.Until(pinged.Add(4*time.Second)))
	if st := a.do("connectionStatus", nil, step).str("status"); st != "connected" {
		t.Errorf("connection status after the first ping %q, want connected", st)
	}
	a.expectNoEvent("wsClosed", 0)
}

// TestOfficialSDKVerifiesCertificate shows the TLS above is real: the same
// SDK without the test's CA cannot log in.
func TestOfficialSDKVerifiesCertificate(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})

	other := t.TempDir() + "/unrelated.pem"
	if err := os.WriteFile(other, unrelatedCA(t), 0o600); err != nil {
		t.Fatal(err)
	}
	u := startUser(t, node, "untrusting", other)
	u.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	r := u.try("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	if r["ok"] == true {
		t.Fatalf("login succeeded without trusting the server's certificate: %s", r)
	}
	if code := r.str("error", "code"); code != "FAILED_TO_FETCH" {
		t.Errorf("login error code %q, want FAILED_TO_FETCH (certificate refused)", code)
	}
}

func checkText(t *testing.T, what string, m msg, text, senderUID, senderName, receiver string) {
	t.Helper()
	if m.str("text") != text || m.get("isTextMessage") != true {
		t.Errorf("%s: text %q (TextMessage: %v), want %q", what, m.str("text"), m.get("isTextMessage"), text)
	}
	if m.str("sender", "uid") != senderUID || m.str("sender", "name") != senderName {
		t.Errorf("%s: sender %v, want %s %q", what, m.get("sender"), senderUID, senderName)
	}
	if m.str("receiverId") != receiver || m.str("receiverType") != "user" {
		t.Errorf("%s: receiver %q (%q), want %s (user)", what, m.str("receiverId"), m.str("receiverType"), receiver)
	}
	if m.str("category") != "message" || m.str("type") != "text" {
		t.Errorf("%s: category/type %q/%q, want message/text", what, m.str("category"), m.str("type"))
	}
	if m.get("sentAt") == nil || m.str("conversationId") == "" {
		t.Errorf("%s: sentAt %v, conversationId %q: both needed", what, m.get("sentAt"), m.str("conversationId"))
	}
}

func checkTyping(t *testing.T, what string, e msg, senderUID, senderName, receiver string) {
	t.Helper()
	if e.str("typing", "sender", "uid") != senderUID || e.str("typing", "sender", "name") != senderName {
		t.Errorf("%s: sender %v, want %s %q", what, e.get("typing", "sender"), senderUID, senderName)
	}
	if e.str("typing", "receiverId") != receiver || e.str("typing", "receiverType") != "user" {
		t.Errorf("%s: receiver %q (%q), want %s (user)", what, e.str("typing", "receiverId"), e.str("typing", "receiverType"), receiver)
	}
}

// testServer is a running server and what a client needs to reach it.
type testServer struct {
	port    int
	caFile  string // PEM of the certificate the server presents
	appID   string
	authKey string
	restKey string
	dataDir string
	http    *http.Client // trusts caFile only
	stop    func()       // interrupts the server and waits for it to exit
}

// clientHost is what the SDK's overrideClientHost/overrideAdminHost take:
// no scheme, the API version as a path.
func (s *testServer) clientHost() string { return fmt.Sprintf("127.0.0.1:%d/v3.0", s.port) }

func (s *testServer) baseURL() string { return fmt.Sprintf("https://127.0.0.1:%d", s.port) }

// httpsClient trusts exactly the PEM certificates in caFile.
func httpsClient(t *testing.T, caFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no PEM certificate", caFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: step}
}

// rest calls the server REST API with the REST API key (acting as
// onBehalfOf when set) and fails the test unless the reply has data.
func (s *testServer) rest(t *testing.T, method, path, onBehalfOf string, body any) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), step)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.baseURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", s.restKey)
	req.Header.Set("appid", s.appID)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	if onBehalfOf != "" {
		req.Header.Set("onBehalfOf", onBehalfOf)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, path, err)
	}
	var env struct {
		Data  map[string]any `json:"data"`
		Error any            `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Data == nil || resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: HTTP %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	return env.Data
}

// TestOfficialSDKLogoutKeepsOtherDevices: a user on two devices logs out of
// one. Logout revokes that session's auth token only; the other device
// stays connected and keeps receiving messages.
func TestOfficialSDKLogoutKeepsOtherDevices(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidB, "name": nameB})

	a1 := startUser(t, node, "A-laptop", srv.caFile)
	a2 := startUser(t, node, "A-phone", srv.caFile)
	b := startUser(t, node, "B", srv.caFile)
	for _, u := range []*sdkUser{a1, a2, b} {
		u.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	}
	b.do("login", map[string]any{"uid": uidB, "authKey": srv.authKey}, step)
	b.waitEvent("onConnected", step, nil)
	a1.do("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	b.waitEvent("onUserOnline", step, func(e msg) bool { return e.str("user", "uid") == uidA })
	a2.do("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	// A is already online, so no presence tells us the phone is in: wait
	// for the server's auth reply on its socket.
	a2.waitEvent("wsAuth", step, func(e msg) bool { return e.str("code") == "200" })

	// Both of A's devices hear B; that also proves both sockets are in.
	first := msg(b.do("sendText", map[string]any{"receiver": uidA, "text": "to both devices"}, step).get("message").(map[string]any))
	for _, a := range []*sdkUser{a1, a2} {
		a.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == first.str("id") })
	}

	a2.do("logout", nil, step)
	a2.waitEvent("wsClosed", step, nil)

	second := msg(b.do("sendText", map[string]any{"receiver": uidA, "text": "after the phone logged out"}, step).get("message").(map[string]any))
	got := a1.waitFor("the message or a close", step, func(e msg) bool {
		return e.str("event") == "wsClosed" ||
			e.str("event") == "onTextMessageReceived" && e.str("message", "id") == second.str("id")
	})
	if got.str("event") == "wsClosed" {
		t.Fatalf("A-laptop: the server closed this socket (%s, %q) when A-phone logged out; "+
			"logout (DELETE /v3.0/me) must end only the session of the auth token it was called with", got.str("code"), got.str("reason"))
	}
	a1.expectNoEvent("wsClosed", 0)
	a1.expectNoEvent("onDisconnected", 0)
	b.expectNoEvent("onUserOffline", 0)
}

// TestOfficialSDKSurvivesServerRestart: the server stops and comes back on
// the same port and data dir. The SDK reconnects on its own (5 s timer)
// with the JWT and the certificate it already has, and chat goes on.
func TestOfficialSDKSurvivesServerRestart(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidB, "name": nameB})

	a := startUser(t, node, "A", srv.caFile)
	b := startUser(t, node, "B", srv.caFile)
	for _, u := range []*sdkUser{a, b} {
		u.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	}
	a.do("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	b.do("login", map[string]any{"uid": uidB, "authKey": srv.authKey}, step)
	for _, u := range []*sdkUser{a, b} {
		u.waitEvent("wsAuth", step, func(e msg) bool { return e.str("code") == "200" })
	}

	srv.restart(t)
	for _, u := range []*sdkUser{a, b} {
		u.waitEvent("onDisconnected", step, nil)
		// A second accepted auth: the SDK is back on the new process.
		u.waitCount("wsAuth", 2, 30*time.Second, func(e msg) bool { return e.str("code") == "200" })
	}

	const text = "still here after the restart"
	m := msg(a.do("sendText", map[string]any{"receiver": uidB, "text": text}, step).get("message").(map[string]any))
	got := b.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == m.str("id") })
	checkText(t, "B: after restart", msg(got["message"].(map[string]any)), text, uidA, nameA, uidB)
}

// TestOfficialSDKMoreFeatures: group management, custom and transient
// messages, reactions, threads, unread counts and blocking, each done
// through the SDK by one user and checked through the other's listeners
// or the SDK's own results.
func TestOfficialSDKMoreFeatures(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidB, "name": nameB})

	a := startUser(t, node, "A", srv.caFile)
	b := startUser(t, node, "B", srv.caFile)
	for _, u := range []*sdkUser{a, b} {
		u.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	}
	a.do("login", map[string]any{"uid": uidA, "authKey": srv.authKey}, step)
	a.waitEvent("wsAuth", step, func(e msg) bool { return e.str("code") == "200" })
	b.do("login", map[string]any{"uid": uidB, "authKey": srv.authKey}, step)
	b.waitEvent("wsAuth", step, func(e msg) bool { return e.str("code") == "200" })

	// A creates a public group through the SDK and owns it.
	const guid, gname = "sdk-public", "Public Square"
	cg := a.do("createGroup", map[string]any{"guid": guid, "name": gname, "type": "public"}, step)
	if cg.str("group", "guid") != guid || cg.str("group", "name") != gname || cg.str("group", "scope") != "admin" ||
		cg.get("group", "hasJoined") != true {
		t.Errorf("A: createGroup resolved with %s: want %s, admin, joined", cg, guid)
	}
	b.do("joinGroup", map[string]any{"guid": guid, "type": "public"}, step)
	a.waitEvent("onGroupMemberJoined", step, func(e msg) bool { return e.str("user", "uid") == uidB && e.str("group", "guid") == guid })

	// Typing in a group reaches the other members, addressed to the group.
	b.do("startTyping", map[string]any{"receiver": guid, "receiverType": "group"}, step)
	gt := a.waitEvent("onTypingStarted", step, func(e msg) bool { return e.str("typing", "receiverType") == "group" })
	if gt.str("typing", "receiverId") != guid || gt.str("typing", "sender", "uid") != uidB {
		t.Errorf("A: group typing %s: want B typing in %s", gt, guid)
	}
	b.do("endTyping", map[string]any{"receiver": guid, "receiverType": "group"}, step)

	// A makes B a moderator; B hears it with old and new scope.
	a.do("updateScope", map[string]any{"guid": guid, "uid": uidB, "scope": "moderator"}, step)
	sc := b.waitEvent("onGroupMemberScopeChanged", step, nil)
	if sc.str("user", "uid") != uidB || sc.str("newScope") != "moderator" || sc.str("oldScope") != "participant" ||
		sc.str("group", "guid") != guid {
		t.Errorf("B: onGroupMemberScopeChanged %s: want B participant → moderator in %s", sc, guid)
	}

	// The group's history holds both actions, as SDK Action objects.
	gh := a.do("fetchPrevious", map[string]any{"guid": guid, "limit": 30}, step)
	var actions []string
	for _, m := range gh.list("pages", "0") {
		if m.str("category") == "action" {
			actions = append(actions, m.str("action")+":"+m.str("actionOn", "uid")+m.str("actionBy", "uid"))
		}
	}
	if strings.Join(actions, ",") != "joined:"+uidB+",scopeChanged:"+uidB+uidA {
		t.Errorf("A: group history actions %v: want B joined, then A changed B's scope: %s", actions, gh)
	}

	// A custom message, with its data, and a transient one.
	cm := msg(a.do("sendCustom", map[string]any{
		"receiver": uidB, "customType": "location", "customData": map[string]any{"lat": 51.5, "lon": -0.12},
	}, step).get("message").(map[string]any))
	cr := b.waitEvent("onCustomMessageReceived", step, func(e msg) bool { return e.str("message", "id") == cm.str("id") })
	if cr.str("message", "type") != "location" || cr.str("message", "category") != "custom" ||
		cr.str("message", "customData", "lat") != "51.5" || cr.str("message", "sender", "uid") != uidA {
		t.Errorf("B: onCustomMessageReceived %s: want a location from A with its data", cr)
	}
	// A photo already hosted elsewhere: the SDK sends its attachment as is.
	att := map[string]any{"url": "https://example.com/cat.png", "name": "cat.png", "mimeType": "image/png", "extension": "png", "size": 1234}
	mm := msg(a.do("sendMediaURL", map[string]any{"receiver": uidB, "mediaType": "image", "attachment": att, "caption": "a cat"}, step).get("message").(map[string]any))
	mr := b.waitEvent("onMediaMessageReceived", step, func(e msg) bool { return e.str("message", "id") == mm.str("id") })
	if as := mr.list("message", "attachments"); len(as) != 1 || as[0].str("url") != att["url"] || as[0].str("mimeType") != "image/png" ||
		as[0].str("name") != "cat.png" || mr.str("message", "type") != "image" || mr.str("message", "caption") != "a cat" {
		t.Errorf("B: onMediaMessageReceived %s: want image cat.png with its url and caption", mr)
	}

	a.do("sendTransient", map[string]any{"receiver": uidB, "data": map[string]any{"mood": "sunny"}}, step)
	tr := b.waitEvent("onTransientMessageReceived", step, nil)
	if tr.str("transient", "data", "mood") != "sunny" || tr.str("transient", "sender", "uid") != uidA ||
		tr.str("transient", "receiverId") != uidB {
		t.Errorf("B: onTransientMessageReceived %s: want A's data addressed to B", tr)
	}

	// Reactions: B reacts to A's text and takes it back; A hears both.
	const thumbs = "👍"
	tm := msg(a.do("sendText", map[string]any{"receiver": uidB, "text": "react to this"}, step).get("message").(map[string]any))
	b.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == tm.str("id") })
	ra := b.do("addReaction", map[string]any{"messageId": tm.str("id"), "reaction": thumbs}, step)
	if rs := ra.list("message", "reactions"); len(rs) != 1 || rs[0].str("reaction") != thumbs || rs[0].str("count") != "1" ||
		rs[0].get("reactedByMe") != true {
		t.Errorf("B: addReaction resolved with reactions %v: want one %s by me", ra.get("message", "reactions"), thumbs)
	}
	re := a.waitEvent("onMessageReactionAdded", step, nil)
	if re.str("reaction", "messageId") != tm.str("id") || re.str("reaction", "reaction") != thumbs ||
		re.str("reaction", "uid") != uidB || re.str("reaction", "reactedBy", "name") != nameB {
		t.Errorf("A: onMessageReactionAdded %s: want B's %s on message %s", re, thumbs, tm.str("id"))
	}
	b.do("removeReaction", map[string]any{"messageId": tm.str("id"), "reaction": thumbs}, step)
	rr := a.waitEvent("onMessageReactionRemoved", step, nil)
	if rr.str("reaction", "messageId") != tm.str("id") || rr.str("reaction", "uid") != uidB {
		t.Errorf("A: onMessageReactionRemoved %s: want B's reaction on message %s gone", rr, tm.str("id"))
	}

	// A thread: B replies under A's message; A hears the reply and the
	// thread lists it.
	reply := msg(b.do("sendThreadReply", map[string]any{"receiver": uidA, "text": "in the thread", "parentId": tm.str("id")}, step).get("message").(map[string]any))
	if reply.str("parentMessageId") != tm.str("id") {
		t.Errorf("B: thread reply resolved with %s: want parentMessageId %s", reply, tm.str("id"))
	}
	tre := a.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == reply.str("id") })
	if tre.str("message", "parentMessageId") != tm.str("id") {
		t.Errorf("A: thread reply received as %s: want parentMessageId %s", tre, tm.str("id"))
	}
	th := a.do("fetchThread", map[string]any{"parentId": tm.str("id")}, step)
	if ms := th.list("messages"); len(ms) != 1 || ms[0].str("id") != reply.str("id") || ms[0].str("text") != "in the thread" {
		t.Errorf("A: thread of %s = %s: want just B's reply", tm.str("id"), th)
	}

	// B has A's custom, media and text messages unread, until B marks the whole
	// conversation read (the SDK sends no message id for that).
	unreadFromA := func() string {
		t.Helper()
		r := b.do("fetchConversations", map[string]any{"limit": 30}, step)
		for _, c := range r.list("pages", "0") {
			if c.str("conversationWith", "uid") == uidA {
				return c.str("unreadMessageCount")
			}
		}
		t.Fatalf("B: no conversation with A: %s", r)
		return ""
	}
	if n := unreadFromA(); n != "3" {
		t.Errorf("B: unread from A = %s, want 3 (custom, media, text)", n)
	}
	b.do("markConversationAsRead", map[string]any{"with": uidA, "type": "user"}, step)
	if n := unreadFromA(); n != "0" {
		t.Errorf("B: unread from A after markConversationAsRead = %s, want 0", n)
	}

	// A removes B from the group; B is told.
	a.do("kick", map[string]any{"guid": guid, "uid": uidB}, step)
	k := b.waitEvent("onGroupMemberKicked", step, nil)
	if k.str("user", "uid") != uidB || k.str("by", "uid") != uidA || k.str("group", "guid") != guid {
		t.Errorf("B: onGroupMemberKicked %s: want B kicked by A from %s", k, guid)
	}

	// B blocks A: A can no longer message B.
	b.do("blockUsers", map[string]any{"uids": []string{uidA}}, step)
	blocked := a.try("sendText", map[string]any{"receiver": uidB, "text": "are you there?"}, step)
	if blocked["ok"] == true {
		t.Errorf("A: sending to B who blocked A succeeded: %s", blocked)
	}
	b.do("unblockUsers", map[string]any{"uids": []string{uidA}}, step)
	again := msg(a.do("sendText", map[string]any{"receiver": uidB, "text": "unblocked"}, step).get("message").(map[string]any))
	b.waitEvent("onTextMessageReceived", step, func(e msg) bool { return e.str("message", "id") == again.str("id") })
}

// TestOfficialSDKUnreadCounts: CometChat.getUnreadMessageCount asks
// GET /v3.0/messages?unread=1&count=1 and reads data as a list of
// {entityId, entityType, count}.
func TestOfficialSDKUnreadCounts(t *testing.T) {
	t.Parallel()
	node := requireNode(t)
	srv := startServer(t)
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidA, "name": nameA})
	srv.rest(t, "POST", "/v3/users", "", map[string]any{"uid": uidB, "name": nameB})
	srv.rest(t, "POST", "/v3/groups", uidA, map[string]any{"guid": guidPG, "name": namePG, "type": "password", "password": groupPass})
	srv.rest(t, "POST", "/v3/groups/"+guidPG+"/members", uidA, map[string]any{"participants": []string{uidB}})
	for i := 0; i < 3; i++ {
		srv.rest(t, "POST", "/v3/messages", uidA, map[string]any{"receiver": uidB, "receiverType": "user", "category": "message", "type": "text", "data": map[string]any{"text": fmt.Sprint("direct ", i)}})
	}
	srv.rest(t, "POST", "/v3/messages", uidA, map[string]any{"receiver": guidPG, "receiverType": "group", "category": "message", "type": "text", "data": map[string]any{"text": "to the group"}})

	b := startUser(t, node, "B", srv.caFile)
	b.do("init", map[string]any{"appId": srv.appID, "host": srv.clientHost()}, step)
	b.do("login", map[string]any{"uid": uidB, "authKey": srv.authKey}, step)
	uc := b.do("unreadCounts", nil, step)
	if uc.str("counts", "users", uidA) != "3" || uc.str("counts", "groups", guidPG) != "1" {
		t.Errorf("B: getUnreadMessageCount = %s: want users.%s = 3, groups.%s = 1", uc.get("counts"), uidA, guidPG)
	}
}
