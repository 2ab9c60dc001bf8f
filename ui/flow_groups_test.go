package ui_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/ui"
)

// vscreen draws a program's output on a virtual terminal, so that checks
// see the screen as a person would and not the stream of changes, in
// which the renderer writes only the cells that changed.
type vscreen struct {
	t   *testing.T
	tm  *teatest.TestModel
	emu *vt.Emulator
}

// startScreen runs the TUI for me (as start does) and watches its screen.
func startScreen(t *testing.T, me *client.Client, opts ui.Options) (*teatest.TestModel, *vscreen) {
	t.Helper()
	tm := start(t, me, opts)
	emu := vt.NewEmulator(120, 36)
	answered := make(chan struct{})
	go func() { // the terminal's answers to queries; nobody asks for them
		defer close(answered)
		_, _ = io.Copy(io.Discard, emu)
	}()
	t.Cleanup(func() {
		// Closing the answer pipe ends the copy; Emulator.Close would
		// race with the Read in progress over the emulator's closed flag.
		if c, ok := emu.InputPipe().(io.Closer); ok {
			c.Close()
		}
		<-answered
	})
	return tm, &vscreen{t: t, tm: tm, emu: emu}
}

// wait polls the screen until it shows every want, failing with the
// screen at the deadline.
func (v *vscreen) wait(want ...string) {
	v.t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		out, _ := io.ReadAll(v.tm.Output())
		// A tty turns \n into \r\n (onlcr); there is no tty here.
		_, _ = v.emu.Write(bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n")))
		scr := v.emu.String()
		missing := ""
		for _, w := range want {
			if !strings.Contains(scr, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			v.t.Fatalf("timed out waiting for %q on the screen:\n%s", missing, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// memberUIDs is the group's member uids as peer sees them (nil on error).
func memberUIDs(t *testing.T, peer *client.Client, guid string) []string {
	t.Helper()
	ms, err := peer.ListMembers(ctxT(t), guid, chat.MemberQuery{})
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.UID)
	}
	return out
}

func TestFlowLeaveGroup(t *testing.T) {
	_, me, _, spidey := avengers(t)
	tm, scr := startScreen(t, spidey, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ", "you: participant")
	tm.Type("/leave")
	enter(tm)
	scr.wait("left the group", "No conversation open")
	eventually(t, "superhero3 out of the group", func() bool {
		uids := memberUIDs(t, me, "avengers")
		return len(uids) == 2 && !slices.Contains(uids, "superhero3")
	})
}

func TestFlowCreateEachGroupType(t *testing.T) {
	s, me, _, _ := avengers(t)
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ", "you: admin")
	for _, c := range []struct {
		cmd, guid, name string
		typ             chat.GroupType
	}{
		{"/create pubs Publicans", "pubs", "Publicans", chat.GroupPublic},
		{"/create vault Vault password open-sesame", "vault", "Vault", chat.GroupPassword},
		{"/create lab Lab private", "lab", "Lab", chat.GroupPrivate},
	} {
		tm.Type(c.cmd)
		enter(tm)
		// The new group opens with me as its admin.
		scr.wait(c.name+" · "+string(c.typ), "joined "+c.name)
		g, err := me.Group(ctxT(t), c.guid)
		if err != nil {
			t.Fatalf("%s: %v", c.cmd, err)
		}
		if g.Type != c.typ || g.Owner != "superhero1" || g.Name != c.name {
			t.Fatalf("%s: created %+v", c.cmd, g)
		}
	}
	// The password group lets in only who knows the password.
	outsider := login(t, s, "superhero4", "Wolverine")
	if _, err := outsider.JoinGroup(ctxT(t), "vault", "wrong"); err == nil {
		t.Fatal("joined the password group with a wrong password")
	}
	if _, err := outsider.JoinGroup(ctxT(t), "vault", "open-sesame"); err != nil {
		t.Fatalf("join with the password: %v", err)
	}
}

func TestFlowAddMember(t *testing.T) {
	s, me, _, _ := avengers(t)
	s.CreateUser(t, "superhero4", "Wolverine")
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ", "you: admin")
	tm.Type("/add superhero4")
	enter(tm)
	scr.wait("added 1 member")
	eventually(t, "superhero4 in the group", func() bool {
		return slices.Contains(memberUIDs(t, me, "avengers"), "superhero4")
	})
	scr.wait("4 members") // the header follows the new member list
}

func TestFlowBlockAndUnblock(t *testing.T) {
	_, me, _, _ := avengers(t)
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ")
	blocked := func() []string {
		us, err := me.BlockedUsers(ctxT(t), chat.Page{})
		if err != nil {
			return []string{"error: " + err.Error()}
		}
		var out []string
		for _, u := range us {
			out = append(out, u.UID)
		}
		return out
	}
	tm.Type("/block superhero2")
	enter(tm)
	scr.wait("blocked superhero2")
	eventually(t, "superhero2 blocked on the server", func() bool { return slices.Equal(blocked(), []string{"superhero2"}) })
	tm.Type("/unblock superhero2")
	enter(tm)
	scr.wait("unblocked superhero2")
	eventually(t, "superhero2 unblocked on the server", func() bool { return len(blocked()) == 0 })
}

func TestFlowBannedListUnban(t *testing.T) {
	_, me, _, _ := avengers(t)
	if err := me.Ban(ctxT(t), "avengers", "superhero3"); err != nil {
		t.Fatal(err)
	}
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ", "you: admin")
	tm.Send(key(tea.KeyF3))
	scr.wait("Members (2)")
	tm.Type("B")
	scr.wait("Banned (1)", "Spiderman")
	tm.Type("u")
	eventually(t, "superhero3 unbanned on the server", func() bool {
		us, err := me.ListBanned(ctxT(t), "avengers", chat.Page{})
		return err == nil && len(us) == 0
	})
	scr.wait("unbanned superhero3")
}

func TestFlowThreadLoadsOlderReplies(t *testing.T) {
	_, me, cap, _ := avengers(t)
	parent, err := cap.SendText(ctxT(t), "avengers", chat.ReceiverGroup, "Plan for tomorrow")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 8; i++ {
		if _, err := cap.SendText(ctxT(t), "avengers", chat.ReceiverGroup, fmt.Sprintf("step %d of the plan", i), client.InThread(parent.ID)); err != nil {
			t.Fatal(err)
		}
	}
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers", PageSize: 5})
	scr.wait("Plan for tomorrow")
	tm.Type("/thread")
	enter(tm)
	// The newest page: steps 4 to 8. (The reply count is not checked: the
	// replies' own events, queued before the TUI started, may count on
	// top of the server's count; see the note on countReply.)
	scr.wait("Thread", "step 4 of", "step 8 of")
	if strings.Contains(scr.emu.String(), "step 3 of") {
		t.Fatal("more than the newest page shown before asking for older replies")
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) // composer → thread
	tm.Send(key(tea.KeyHome))                                     // to the oldest loaded reply: asks for the page before
	scr.wait("step 1 of", "step 3 of")
}

func TestFlowMsgOpensNewDirectChat(t *testing.T) {
	s, me, _, _ := avengers(t)
	s.CreateUser(t, "superhero4", "Wolverine")
	logan := login(t, s, "superhero4", "Wolverine")
	drain(t, logan)
	tm, scr := startScreen(t, me, ui.Options{InitialConversation: "group_avengers"})
	scr.wait("Avengers HQ")
	// Not in the group and no chat with me yet: completion finds the uid
	// in the directory of users.
	tm.Type("/msg superhero")
	scr.wait("superhero4  Wolverine")
	tm.Type("4 hey logan")
	enter(tm)
	scr.wait("Wolverine", "hey logan")
	conv := chat.UserConversationID("superhero1", "superhero4")
	eventually(t, "the direct message on the server", func() bool {
		m, ok := newest(t, logan, conv)
		return ok && m.Data.Text == "hey logan" && m.Sender == "superhero1" && m.Receiver == "superhero4"
	})
}
