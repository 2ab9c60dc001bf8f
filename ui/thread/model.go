// Package thread is the thread view: a parent message on top and its
// replies below, drawn and scrolled by the message pane's code.
package thread

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/messages"
)

// Model is one open thread.
type Model struct {
	c       *common.Common
	parent  chat.Message
	kind    chat.ReceiverType
	replies *messages.Model

	width, height int
}

var _ common.Component = (*Model)(nil)

// New builds a closed thread view.
func New(c *common.Common) *Model {
	return &Model{c: c, replies: messages.New(c)}
}

// Open shows the thread of parent. kind is the conversation's receiver
// type and myScope my group scope ("" in 1:1), as for the message pane.
// The replies arrive with SetReplies.
func (m *Model) Open(parent chat.Message, kind chat.ReceiverType, myScope chat.Scope) {
	m.parent, m.kind = parent, kind
	m.replies.SetConversation(parent.ConversationID, kind, "", myScope)
	m.replies.SetThread(parent)
	m.replies.SetLoading(true)
	m.layout()
}

// Parent is the thread's parent message.
func (m *Model) Parent() chat.Message { return m.parent }

// Target is where the composer sends while the thread is open: the
// parent's conversation, with ParentID set. Text is left empty.
func (m *Model) Target() common.SendText {
	receiver := m.parent.Receiver
	if m.kind == chat.ReceiverUser && m.parent.Receiver == m.c.Me.UID {
		receiver = m.parent.Sender
	}
	return common.SendText{
		ConversationID: m.parent.ConversationID, Receiver: receiver,
		ReceiverType: m.kind, ParentID: m.parent.ID,
	}
}

// SetReplies replaces the replies with the newest page.
func (m *Model) SetReplies(msgs []chat.Message, hasMore bool) {
	m.replies.SetMessages(msgs, hasMore)
	m.layout()
}

// Prepend adds an older page of replies (the answer to LoadOlder with
// ParentID set) without moving the view.
func (m *Model) Prepend(older []chat.Message, hasMore bool) { m.replies.Prepend(older, hasMore) }

// Upsert takes a new, edited or deleted message: the parent itself or
// one of its replies; anything else is ignored.
func (m *Model) Upsert(msg chat.Message) {
	if msg.ID == m.parent.ID && m.parent.ID != 0 {
		msg.ReplyCount = max(msg.ReplyCount, m.parent.ReplyCount)
		if msg.Data.Reactions == nil {
			msg.Data.Reactions = m.parent.Data.Reactions
		}
		m.parent = msg
		m.layout()
		return
	}
	if msg.ParentID != m.parent.ID || m.parent.ID == 0 {
		return
	}
	if _, seen := m.replies.Message(msg.ID); !seen {
		m.parent.ReplyCount = max(m.parent.ReplyCount+1, m.replies.Len()+1)
	}
	m.replies.Upsert(msg)
	m.layout()
}

// ApplyReceipt moves marks on my replies and on the parent.
func (m *Model) ApplyReceipt(r chat.Receipt) {
	m.replies.ApplyReceipt(r)
	if messages.ApplyReceiptTo(&m.parent, r, m.c.Me.UID, m.kind) {
		m.layout()
	}
}

// ApplyReaction updates the reactions of the parent or a reply.
func (m *Model) ApplyReaction(r chat.Reaction, added bool) {
	if messages.ApplyReactionTo(&m.parent, r, added, m.c.Me.UID) {
		m.layout()
		return
	}
	m.replies.ApplyReaction(r, added)
}

// SetNames gives the display names, by uid, shown for senders and mentions.
func (m *Model) SetNames(names map[string]string) { m.replies.SetNames(names) }

// SetLoading shows that replies are loading (false also ends a failed
// older-page request).
func (m *Model) SetLoading(b bool) { m.replies.SetLoading(b) }

// SetTheme drops cached renderings after a theme change.
func (m *Model) SetTheme() { m.replies.SetTheme() }

// SetFocused gives the reply list the keyboard (selection mode).
func (m *Model) SetFocused(f bool) { m.replies.SetFocused(f) }

// MenuOpen reports whether a reply's action menu has the keyboard.
func (m *Model) MenuOpen() bool { return m.replies.MenuOpen() }

// Selected is the selected reply, if any.
func (m *Model) Selected() (chat.Message, bool) { return m.replies.Selected() }

// SetSize sets the view's size; the parent takes at most a third of it.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// parentLines draws the parent, cut to a third of the height.
func (m *Model) parentLines() []string {
	if m.parent.ID == 0 || m.width < 2 {
		return nil
	}
	ls := m.replies.Renderer().Render(&m.parent, m.width-1, messages.Row{})
	limit := max(2, m.height/3)
	if len(ls) > limit {
		ls = append(ls[:limit-1:limit-1], m.c.Theme.Dim.Render("…")+strings.Repeat(" ", m.width-2))
	}
	for i := range ls {
		ls[i] = " " + ls[i]
	}
	return ls
}

// layout gives the reply list what the title, parent and divider leave.
func (m *Model) layout() {
	m.replies.SetSize(m.width, max(0, m.height-2-len(m.parentLines())))
}

// Update forwards keys and the wheel to the reply list.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	_, cmd := m.replies.Update(msg)
	return m, cmd
}

// View draws the title, the parent, a divider with the reply count, and
// the replies.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	t := m.c.Theme
	r := m.replies.Renderer()
	title := t.Title.Render("Thread")
	if m.parent.ID != 0 {
		title += t.HeaderDim.Render(" · " + r.Name(m.parent.Sender, m.parent.Data.Entities.Sender) + " · " +
			messages.DayLabel(m.parent.SentAt, m.c.Now(), m.c.Loc))
	}
	lines := []string{common.FitLine(" "+title, m.width, "…")}
	lines = append(lines, m.parentLines()...)
	n := max(m.parent.ReplyCount, m.replies.Len())
	label := " " + strconv.Itoa(n) + " replies "
	if n == 1 {
		label = " 1 reply "
	}
	side := max(0, m.width-ansi.StringWidth(label)-2)
	lines = append(lines, common.FitLine(t.Divider.Render("──"+label+strings.Repeat("─", side)), m.width, "…"))
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	out := strings.Join(lines, "\n")
	if rv := m.replies.View(); rv != "" && len(lines) < m.height {
		out += "\n" + rv
	}
	return out
}

// ShortHelp is the reply list's keys.
func (m *Model) ShortHelp() []key.Binding { return m.replies.ShortHelp() }

// FullHelp is the reply list's keys, grouped.
func (m *Model) FullHelp() [][]key.Binding { return m.replies.FullHelp() }
