package msginfo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cometterm/chat"
	"cometterm/ui/common"
)

func at(h, m, s int) int64 { return time.Date(2026, 11, 26, h, m, s, 0, time.UTC).Unix() }

func panel(w, h int) *Model {
	c := &common.Common{Theme: common.NewTheme(true, false),
		Now: func() time.Time { return time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC) },
		Me:  chat.User{UID: "superhero1"}, Loc: time.UTC}
	m := New(c)
	m.SetSize(w, h)
	return m
}

func sample() (chat.Message, []chat.MessageReceipt) {
	msg := chat.Message{ID: 1043, Sender: "superhero1", SentAt: at(10, 6, 0), Data: chat.MessageData{Text: "copy that"}}
	rs := []chat.MessageReceipt{
		{User: chat.User{UID: "superhero4", Name: "Wolverine"}},
		{User: chat.User{UID: "superhero3", Name: "Spiderman"}, DeliveredAt: at(10, 6, 1)},
		{User: chat.User{UID: "superhero2", Name: "Captain America"}, DeliveredAt: at(10, 6, 0), ReadAt: at(10, 6, 3)},
	}
	return msg, rs
}

func TestGoldenInfo(t *testing.T) {
	m := panel(80, 6)
	m.SetReceipts(sample())
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestGoldenInfoNarrowWraps(t *testing.T) {
	m := panel(40, 8)
	m.SetReceipts(sample())
	golden.RequireEqual(t, []byte(ansi.Strip(m.View())))
}

func TestLoadingAndError(t *testing.T) {
	m := panel(60, 5)
	msg, _ := sample()
	m.SetMessage(msg)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Message #1043 · sent 10:06:00") || !strings.Contains(v, "loading receipts…") {
		t.Fatalf("loading view:\n%s", v)
	}
	m.ShowError(errors.New("ERR_MESSAGE_NOT_FOUND: no such message"))
	if v := ansi.Strip(m.View()); !strings.Contains(v, "ERR_MESSAGE_NOT_FOUND") {
		t.Fatalf("error view:\n%s", v)
	}
}
