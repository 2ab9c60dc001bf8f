package ui

import (
	"cmp"
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// handleResult applies the answer of a server call. Answers about a
// conversation that is no longer open only update the list.
func (m *Model) handleResult(msg tea.Msg) (tea.Cmd, bool) {
	s := m.st
	switch msg := msg.(type) {
	case noopMsg:
		return nil, true
	case flushReceiptsMsg:
		return m.flushReceipts(), true
	case parentMsg:
		if msg.err == nil && msg.parent.ConversationID == s.open {
			m.pane.SetReplyCount(msg.parent.ID, msg.parent.ReplyCount)
		}
		return nil, true
	case memberDoneMsg:
		if msg.err != nil {
			if msg.panel {
				m.members.ShowError(msg.err)
			} else {
				m.composer.SetError(common.ErrorText(msg.err))
			}
			return m.notice(common.ErrorText(msg.err), true), true
		}
		cmd := m.notice(msg.ok, false)
		if chat.GroupConversationID(msg.guid) == s.open {
			// My own actions are not echoed to me: the group's facts bring
			// the new count, the list (if held) the new members.
			cmd = tea.Batch(cmd, m.fetchGroup(msg.guid), m.refreshMembers(), m.fetchNewer(s.open))
		}
		return cmd, true
	case connectedMsg:
		if msg.err != nil {
			return m.notice("not connected: "+common.ErrorText(msg.err), true), true
		}
		m.status.SetStatus(m.be.Status(), 0, 0)
		return nil, true
	case conversationsMsg:
		if msg.err != nil {
			return m.notice("could not load conversations: "+common.ErrorText(msg.err), true), true
		}
		s.listLoaded = true
		m.list.SetConversations(msg.convs)
		for _, c := range msg.convs {
			if c.LastMessage != nil {
				m.remember(*c.LastMessage)
			}
		}
		var cmds []tea.Cmd
		if id := m.opts.InitialConversation; id != "" && s.open == "" {
			m.opts.InitialConversation = ""
			if c, ok := m.list.Get(id); ok {
				cmds = append(cmds, m.openConversation(c))
			} else {
				cmds = append(cmds, m.fetchConversation(id, true))
			}
		}
		return tea.Batch(cmds...), true
	case conversationMsg:
		if msg.err != nil {
			if msg.open {
				return m.notice("could not open the conversation: "+common.ErrorText(msg.err), true), true
			}
			return nil, true
		}
		m.list.Upsert(msg.conv)
		if msg.open {
			return m.openConversation(msg.conv), true
		}
		return nil, true
	case historyMsg:
		return m.history(msg), true
	case groupMsg:
		if msg.err != nil || m.openGroup() != msg.group.GUID {
			return nil, true
		}
		g := msg.group
		s.openConv.WithGroup = &g
		m.header.SetGroup(g)
		m.pane.SetConversation(s.open, chat.ReceiverGroup, g.Name, g.Scope)
		m.members.SetGroup(g, m.meIn(g))
		return nil, true
	case membersMsg:
		return m.applyMembers(msg), true
	case sentMsg:
		if msg.err != nil {
			if msg.conv == s.open {
				m.composer.SetError("not sent: " + common.ErrorText(msg.err))
				return nil, true
			}
			return m.notice("not sent: "+common.ErrorText(msg.err), true), true
		}
		return m.incoming(msg.msg, false), true
	case changedMsg:
		if msg.err != nil {
			err := "could not " + msg.what + ": " + common.ErrorText(msg.err)
			m.composer.SetError(err)
			return m.notice(err, true), true
		}
		return m.changed(msg.msg), true
	case doneMsg:
		if msg.err != nil {
			m.composer.SetError(common.ErrorText(msg.err))
			return m.notice(common.ErrorText(msg.err), true), true
		}
		return m.notice(msg.ok, false), true
	case usersMsg:
		m.dir.SetUsers(msg.users, msg.err)
		if msg.err == nil {
			s.usersAsked = true // completion has them now
			m.composer.SetDirectory(msg.users)
		}
		return nil, true
	case userDirMsg:
		m.applyUserDirectory(msg)
		return nil, true
	case groupsMsg:
		m.dir.SetGroups(msg.groups, msg.err)
		return nil, true
	case joinedMsg:
		if msg.err != nil {
			if s.dirOpen {
				m.dir.JoinFailed(msg.err)
				return nil, true
			}
			m.composer.SetError("could not join: " + common.ErrorText(msg.err))
			return nil, true
		}
		return tea.Batch(m.openConversation(groupConversation(msg.group)),
			m.notice("joined "+msg.group.Name, false)), true
	case directMsg:
		if msg.err != nil {
			m.composer.SetError(common.ErrorText(msg.err))
			return nil, true
		}
		u := msg.user
		c := chat.Conversation{ConversationID: chat.UserConversationID(m.c.Me.UID, u.UID),
			ConversationType: chat.ReceiverUser, WithUser: &u}
		if known, ok := m.list.Get(c.ConversationID); ok {
			c = known
		}
		cmd := m.openConversation(c)
		if msg.text != "" {
			cmd = tea.Batch(cmd, m.sendText(c.ConversationID, u.UID, chat.ReceiverUser, msg.text, 0))
		}
		return cmd, true
	case leftMsg:
		if msg.err != nil {
			m.composer.SetError(common.ErrorText(msg.err))
			return nil, true
		}
		conv := chat.GroupConversationID(msg.guid)
		m.list.Remove(conv)
		cmd := m.notice("left the group", false)
		if conv == s.open {
			cmd = tea.Batch(cmd, m.closeConversation())
		}
		return cmd, true
	}
	return m.handlePanelResult(msg)
}

// history applies a page of messages to the open conversation.
func (m *Model) history(msg historyMsg) tea.Cmd {
	if msg.conv != m.st.open {
		return nil // the user moved on; the page belongs elsewhere
	}
	if msg.err != nil {
		m.pane.SetLoading(false)
		return m.notice("could not load messages: "+common.ErrorText(msg.err), true)
	}
	msgs := slices.Clone(msg.msgs)
	slices.SortFunc(msgs, func(a, b chat.Message) int { return cmp.Compare(a.ID, b.ID) })
	more := len(msgs) >= m.opts.PageSize
	m.remember(msgs...)
	if msg.before != 0 {
		m.pane.Prepend(msgs, more)
		return nil
	}
	m.pane.SetMessages(msgs, more)
	m.list.SetUnread(msg.conv, 0)
	// Reading the newest incoming message marks the conversation read.
	for i := len(msgs) - 1; i >= 0; i-- {
		in := msgs[i]
		if in.Sender != m.c.Me.UID && !in.IsAction() {
			if in.MyReceipt != nil && in.MyReceipt.ReadAt != 0 {
				break
			}
			be := m.be
			return m.fireAndForget("read", func(ctx context.Context) error { return be.MarkRead(ctx, in) })
		}
	}
	return nil
}

func groupConversation(g chat.Group) chat.Conversation {
	return chat.Conversation{ConversationID: chat.GroupConversationID(g.GUID), ConversationType: chat.ReceiverGroup, WithGroup: &g}
}
