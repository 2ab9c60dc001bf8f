package ui

import (
	"cmp"
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/composer"
)

// Answers for the thread view, message info, the banned list and the
// messages that arrived after the newest one shown.
type (
	threadMsg struct {
		parent chat.ID
		before chat.ID
		msgs   []chat.Message
		err    error
	}
	receiptsMsg struct {
		msg      chat.Message
		receipts []chat.MessageReceipt
		err      error
	}
	bannedMsg struct {
		guid  string
		users []chat.User
		err   error
	}
	newerMsg struct {
		conv string
		msgs []chat.Message
		err  error
	}
)

// openThread shows parent's thread in place of the pane; the composer
// then replies in it.
func (m *Model) openThread(parent chat.Message) tea.Cmd {
	s := m.st
	if parent.ParentID != 0 || parent.ConversationID != s.open {
		return m.notice("that message has no thread of its own", false)
	}
	kind, scope := chat.ReceiverUser, chat.Scope("")
	if g := s.openConv.WithGroup; g != nil {
		kind, scope = chat.ReceiverGroup, m.header.Scope()
	}
	s.threadOpen = true
	m.thread.Open(parent, kind, scope)
	m.thread.SetNames(s.names)
	m.layout()
	t := m.thread.Target()
	return tea.Batch(
		m.composer.SetTarget(composer.Target{ConversationID: t.ConversationID, Receiver: t.Receiver,
			ReceiverType: t.ReceiverType, ParentID: t.ParentID, Title: "thread"}),
		m.fetchThread(parent.ID, 0),
		m.setFocus(focusComposer))
}

// closeThread goes back to the conversation.
func (m *Model) closeThread() tea.Cmd {
	s := m.st
	if !s.threadOpen {
		return nil
	}
	s.threadOpen = false
	m.thread.SetFocused(false)
	t, _ := m.composer.Target()
	return tea.Batch(m.composer.SetTarget(composer.Target{ConversationID: t.ConversationID, Receiver: t.Receiver,
		ReceiverType: t.ReceiverType, Title: targetTitle(s.openConv)}), m.setFocus(focusComposer))
}

func (m *Model) fetchThread(parent, before chat.ID) tea.Cmd {
	be, limit := m.be, m.opts.PageSize
	q := chat.MessageQuery{ParentID: parent, Limit: limit}
	if before != 0 {
		q.Affix, q.ID = "prepend", before
	}
	return m.call(func(ctx context.Context) tea.Msg {
		msgs, err := be.Messages(ctx, q)
		return threadMsg{parent: parent, before: before, msgs: msgs, err: err}
	})
}

func (m *Model) applyThread(msg threadMsg) tea.Cmd {
	if !m.st.threadOpen || m.thread.Parent().ID != msg.parent {
		return nil
	}
	if msg.err != nil {
		m.thread.SetLoading(false)
		return m.notice("could not load the thread: "+common.ErrorText(msg.err), true)
	}
	msgs := slices.Clone(msg.msgs)
	slices.SortFunc(msgs, func(a, b chat.Message) int { return cmp.Compare(a.ID, b.ID) })
	more := len(msgs) >= m.opts.PageSize
	if msg.before != 0 {
		m.thread.Prepend(msgs, more)
	} else {
		m.thread.SetReplies(msgs, more)
	}
	return nil
}

// showInfo opens message info on the right and fetches the receipts.
func (m *Model) showInfo(msg chat.Message) tea.Cmd {
	s := m.st
	s.infoOpen = true
	m.info.SetMessage(msg)
	m.layout()
	be := m.be
	fetch := m.call(func(ctx context.Context) tea.Msg {
		rs, err := be.MessageReceipts(ctx, msg.ID)
		return receiptsMsg{msg: msg, receipts: rs, err: err}
	})
	return tea.Batch(fetch, m.setFocus(focusSide))
}

func (m *Model) fetchBanned(guid string) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		us, err := be.ListBanned(ctx, guid, chat.Page{PerPage: 1000})
		return bannedMsg{guid: guid, users: us, err: err}
	})
}

// fetchNewer gets what came after the newest message shown: the action
// messages my own member actions caused, which the server does not echo
// to the device that asked.
func (m *Model) fetchNewer(conv string) tea.Cmd {
	after := max(m.st.lastAny[conv].ID, m.st.lastMine[conv].ID)
	be := m.be
	q := chat.MessageQuery{ConversationID: conv, Affix: "append", ID: after, Limit: m.opts.PageSize, HideReplies: true}
	if after == 0 {
		q.Affix, q.ID = "", 0
	}
	return m.call(func(ctx context.Context) tea.Msg {
		msgs, err := be.Messages(ctx, q)
		return newerMsg{conv: conv, msgs: msgs, err: err}
	})
}

// handlePanelResult applies the answers above.
func (m *Model) handlePanelResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case threadMsg:
		return m.applyThread(msg), true
	case receiptsMsg:
		if m.st.infoOpen && m.info.Message().ID == msg.msg.ID {
			if msg.err != nil {
				m.info.ShowError(msg.err)
			} else {
				m.info.SetReceipts(msg.msg, msg.receipts)
			}
		}
		return nil, true
	case bannedMsg:
		if m.openGroup() == msg.guid {
			if msg.err != nil {
				m.members.ShowError(msg.err)
			} else {
				m.members.SetBanned(msg.users)
			}
		}
		return nil, true
	case newerMsg:
		if msg.err != nil || msg.conv != m.st.open {
			return nil, true
		}
		for _, nm := range msg.msgs {
			if nm.ConversationID == "" {
				nm.ConversationID = msg.conv
			}
			m.pane.Upsert(nm)
			m.list.ApplyMessage(nm, false)
			m.remember(nm)
		}
		return nil, true
	}
	return nil, false
}

// meIn is my membership of the open group, from its member list or, until
// that arrives, from the group's own facts.
func (m *Model) meIn(g chat.Group) chat.GroupMember {
	for _, mem := range m.st.members {
		if mem.UID == m.c.Me.UID {
			return mem
		}
	}
	return chat.GroupMember{User: m.c.Me, GUID: g.GUID, Scope: g.Scope}
}
