package ui

import (
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/composer"
)

// openConversation shows c: header, pane (loading), composer target; it
// fetches the history, and for a group its facts (member count, my scope).
// The member list waits until something needs it.
func (m *Model) openConversation(c chat.Conversation) tea.Cmd {
	s := m.st
	id := c.ConversationID
	if _, ok := m.list.Get(id); !ok {
		m.list.Upsert(c)
	} else if known, _ := m.list.Get(id); c.WithUser == nil && c.WithGroup == nil {
		c = known
	}
	s.open, s.openConv = id, c
	m.forgetMembers()
	s.dirOpen, s.showHelp, s.threadOpen, s.infoOpen = false, false, false, false
	m.events.SetConversation(id)
	m.list.SetActive(id)
	m.list.SetUnread(id, 0)
	m.header.SetConversation(c)

	kind, receiver, scope := chat.ReceiverUser, "", chat.Scope("")
	var cmds []tea.Cmd
	switch {
	case c.WithGroup != nil:
		kind, receiver, scope = chat.ReceiverGroup, c.WithGroup.GUID, c.WithGroup.Scope
		m.members.SetGroup(*c.WithGroup, m.meIn(*c.WithGroup))
		m.members.Unlist()
		cmds = append(cmds, m.fetchGroup(receiver))
	case c.WithUser != nil:
		receiver = c.WithUser.UID
		s.names[receiver] = c.WithUser.Name
		m.composer.SetMentionables([]chat.User{*c.WithUser})
	default:
		peer, rt, ok := chat.SplitConversationID(id, m.c.Me.UID)
		if !ok {
			return m.notice("cannot open "+id, true)
		}
		kind, receiver = rt, peer
	}
	if kind == chat.ReceiverGroup {
		m.composer.ExpectMembers()
	}
	if s.showMembers {
		cmds = append(cmds, m.needMembers())
	}
	m.pane.SetConversation(id, kind, c.Title(), scope)
	m.pane.SetNames(s.names)
	m.pane.SetLoading(true)
	cmds = append(cmds,
		m.composer.SetTarget(composer.Target{ConversationID: id, Receiver: receiver, ReceiverType: kind, Title: targetTitle(c)}),
		m.fetchHistory(id, 0),
		m.setFocus(focusComposer))
	return tea.Batch(cmds...)
}

func targetTitle(c chat.Conversation) string {
	if c.WithGroup != nil {
		return "#" + c.WithGroup.Name
	}
	return c.Title()
}

// closeConversation shows nothing open (after leaving or being removed).
func (m *Model) closeConversation() tea.Cmd {
	s := m.st
	s.open, s.openConv = "", chat.Conversation{}
	m.forgetMembers()
	m.composer.SetMentionables(nil)
	s.threadOpen, s.infoOpen = false, false
	m.events.SetConversation("")
	m.header.Clear()
	m.pane.SetConversation("", "", "", "")
	m.pane.SetMessages(nil, false)
	cmd := m.composer.SetTarget(composer.Target{})
	return tea.Batch(cmd, m.setFocus(focusComposer))
}

// openGroup is the guid of the open group, or "".
func (m *Model) openGroup() string {
	if g := m.st.openConv.WithGroup; g != nil {
		return g.GUID
	}
	return ""
}

// remember keeps my newest and anyone's newest message per conversation.
func (m *Model) remember(msgs ...chat.Message) {
	for _, msg := range msgs {
		if msg.ParentID != 0 || msg.IsAction() || msg.ConversationID == "" {
			continue
		}
		conv := msg.ConversationID
		if msg.IsDeleted() {
			if m.st.lastMine[conv].ID == msg.ID {
				delete(m.st.lastMine, conv)
			}
			if m.st.lastAny[conv].ID == msg.ID {
				delete(m.st.lastAny, conv)
			}
			continue
		}
		if msg.ID >= m.st.lastAny[conv].ID {
			m.st.lastAny[conv] = msg
		}
		if msg.Sender == m.c.Me.UID && msg.ID >= m.st.lastMine[conv].ID {
			m.st.lastMine[conv] = msg
		}
	}
}

// target is the message a command acts on: the pane's selection, else
// the newest (mine only, when mine is set).
func (m *Model) target(mine bool) (chat.Message, bool) {
	if sel, ok := m.pane.Selected(); ok && (!mine || sel.Sender == m.c.Me.UID) {
		return sel, true
	}
	last := m.st.lastAny
	if mine {
		last = m.st.lastMine
	}
	msg, ok := last[m.st.open]
	return msg, ok && m.st.open != ""
}
