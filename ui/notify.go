package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/convlist"
)

// notify rings the terminal bell and sends an OSC 9 desktop notification
// (terminals that do not know OSC 9 ignore it; tmux swallows it).
func notify(text string) tea.Cmd {
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	return tea.Raw("\x1b]9;" + text + "\x07\a")
}

func (m *Model) notificationText(msg chat.Message) string {
	who := msg.Sender
	if u := msg.SenderUser(); u != nil && u.Name != "" {
		who = u.Name
	}
	body := convlist.Preview(&msg, "")
	if msg.ReceiverType == chat.ReceiverGroup {
		if c, ok := m.list.Get(msg.ConversationID); ok {
			who += " in " + c.Title()
		}
		_, body, _ = strings.Cut(body, ": ")
	}
	const maxLen = 120
	if r := []rune(body); len(r) > maxLen {
		body = string(r[:maxLen]) + "…"
	}
	return who + ": " + body
}
