package client_test

import (
	"strconv"
	"testing"
	"unsafe"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/chat/client/clienttest"
)

// Clients sharing a SharedFrames each get every group message, with a
// receive time, while the frame's bytes are held once.
func TestSharedFramesAcrossClients(t *testing.T) {
	s := clienttest.Start(t)
	ctx := ctxT(t)
	frames := client.NewSharedFrames()
	share := func(c *client.Config) { c.SharedFrames = frames }

	owner, _ := login(t, s, "owner")
	members := map[string]chat.Scope{}
	var recs []*recorder
	for i := range 4 {
		uid := "reader" + strconv.Itoa(i)
		_, r := login(t, s, uid, share)
		recs = append(recs, r)
		members[uid] = chat.ScopeParticipant
	}
	if _, err := owner.CreateGroup(ctx, client.NewGroup{GUID: "room", Name: "Room", Type: chat.GroupPublic, Members: members}); err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := range n {
		if _, err := owner.SendText(ctx, "room", chat.ReceiverGroup, "m"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}

	raws := map[string]*byte{} // message text → the Raw bytes' first byte
	for _, r := range recs {
		r.waitFor(t, "all messages", func(evs []chat.Event) bool { return len(texts(evs)) == n })
		for _, e := range all[chat.MessageReceived](r.snapshot()) {
			if e.Message.Category != chat.CategoryMessage {
				continue
			}
			if e.At.IsZero() {
				t.Fatalf("message %q without a receive time", e.Message.Data.Text)
			}
			p := unsafe.SliceData(e.Raw)
			if q, ok := raws[e.Message.Data.Text]; ok && q != p {
				t.Fatalf("message %q decoded twice", e.Message.Data.Text)
			}
			raws[e.Message.Data.Text] = p
		}
	}
	for i, r := range recs {
		if got := texts(r.snapshot()); len(got) != n || got[0] != "m0" || got[n-1] != "m"+strconv.Itoa(n-1) {
			t.Fatalf("reader%d got %v", i, got)
		}
	}
}
