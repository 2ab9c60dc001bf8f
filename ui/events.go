package ui

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
)

// handleEvent applies one real-time event to the parts.
func (m *Model) handleEvent(ev chat.Event) tea.Cmd {
	s := m.st
	me := m.c.Me.UID
	m.events.Add(ev) // it keeps a bounded ring, shown or not
	switch ev := ev.(type) {
	case chat.MessageReceived:
		return m.incoming(ev.Message, ev.CatchUp)
	case chat.MessageEdited:
		return m.changed(ev.Message)
	case chat.MessageDeleted:
		return m.changed(ev.Message)
	case chat.TypingStarted:
		if ev.Typing.ConversationID(me) == s.open {
			return m.header.TypingStarted(ev.Typing.Sender)
		}
	case chat.TypingEnded:
		if ev.Typing.ConversationID(me) == s.open {
			m.header.TypingEnded(ev.Typing.Sender.UID)
		}
	case chat.ReceiptReceived:
		m.pane.ApplyReceipt(ev.Receipt)
		m.list.ApplyReceipt(ev.Receipt)
		if s.threadOpen {
			m.thread.ApplyReceipt(ev.Receipt)
		}
	case chat.PresenceChanged:
		m.list.SetPresence(ev.User.UID, ev.Online, ev.At)
		m.header.SetPresence(ev.User.UID, ev.Online, ev.At)
		m.members.SetPresence(ev.User.UID, ev.Online, ev.At)
	case chat.GroupMemberChanged:
		return m.memberChanged(ev)
	case chat.ReactionChanged:
		if ev.ConversationID == s.open || ev.ConversationID == "" {
			m.pane.ApplyReaction(ev.Reaction, ev.Added)
			if s.threadOpen {
				m.thread.ApplyReaction(ev.Reaction, ev.Added)
			}
		}
	case chat.ConnectionChanged:
		m.status.SetStatus(ev.Status, ev.Attempt, ev.RetryIn)
		if ev.Status == chat.ConnConnected && !s.listLoaded {
			return m.loadConversations()
		}
	}
	return nil
}

// maxHeldEvents bounds the events held back for a frame: a session that
// cannot draw as fast as messages come skips some rather than fall
// further and further behind.
const maxHeldEvents = 256

// heldEventsWait is how long held events wait at most: a frame.
const heldEventsWait = time.Second / 30

// takeEvents handles events in order, those held back first. Once the
// open pane has taken in nearly a screen of new lines (Crowded), the rest
// are held back until a frame has shown those or a frame's time has
// passed: a burst taken in one Update would otherwise scroll messages
// past before any frame showed them. The frame after events held back is
// due at once (FrameDue): they have waited a frame already.
func (m *Model) takeEvents(evs []chat.Event) tea.Cmd {
	s := m.st
	if len(s.held) > 0 {
		evs = append(s.held, evs...)
		s.held = nil
		s.heldTaken = true
	}
	cmds := make([]tea.Cmd, 0, 2)
	for i, ev := range evs {
		if m.crowded() && len(evs)-i <= maxHeldEvents {
			s.held = slices.Clone(evs[i:])
			break
		}
		if cmd := m.handleEvent(ev); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	if len(s.held) > 0 && !s.heldWait {
		s.heldWait = true
		cmds = append(cmds, tea.Tick(heldEventsWait, func(time.Time) tea.Msg { return heldEventsMsg{} }))
	}
	return tea.Batch(append(cmds, m.waitEvent())...)
}

// incoming puts a new message where it belongs: the pane when its
// conversation is open, the list always; it sends the receipts and rings
// for direct messages and mentions elsewhere.
func (m *Model) incoming(msg chat.Message, catchUp bool) tea.Cmd {
	s := m.st
	me := m.c.Me.UID
	mine := msg.Sender == me
	open := msg.ConversationID == s.open
	var cmds []tea.Cmd
	if u := msg.SenderUser(); u != nil && !mine {
		if _, known := s.names[u.UID]; !known {
			s.names[u.UID] = u.Name
		}
	}
	if open {
		m.pane.Upsert(msg)
		m.header.TypingEnded(msg.Sender)
		if s.threadOpen {
			m.thread.Upsert(msg)
		}
		if msg.ParentID != 0 {
			cmds = append(cmds, m.fetchParent(msg.ParentID))
		}
	}
	m.remember(msg)
	if msg.ParentID == 0 {
		if !m.list.ApplyMessage(msg, !mine && !open) {
			cmds = append(cmds, m.fetchConversation(msg.ConversationID, false))
		}
	}
	if mine {
		return tea.Batch(cmds...)
	}
	if c := m.queueReceipt(msg, open); c != nil { // nil while a flush is armed: most messages
		cmds = append(cmds, c)
	}
	if !open && !catchUp && m.opts.Notify && (msg.ReceiverType == chat.ReceiverUser || mentions(msg, me)) {
		cmds = append(cmds, notify(m.notificationText(msg)))
	}
	return tea.Batch(cmds...)
}

// changed applies an edit or a deletion.
func (m *Model) changed(msg chat.Message) tea.Cmd {
	if msg.ConversationID == m.st.open {
		m.pane.Upsert(msg)
		if m.st.threadOpen {
			m.thread.Upsert(msg)
		}
	}
	m.list.ApplyEdit(msg)
	m.remember(msg)
	return nil
}

// memberChanged applies a group action: its message joins the history,
// and what it changes for me (scope, membership) shows at once.
func (m *Model) memberChanged(ev chat.GroupMemberChanged) tea.Cmd {
	s := m.st
	me := m.c.Me.UID
	conv := chat.GroupConversationID(ev.Group.GUID)
	if ev.Message.ConversationID == "" {
		ev.Message.ConversationID = conv
	}
	open := conv == s.open
	if open {
		m.pane.Upsert(ev.Message)
		m.members.ApplyMemberChange(ev)
		switch ev.Action {
		case chat.ActionJoined, chat.ActionAdded:
			m.header.SetMembersCount(m.header.MembersCount() + 1)
		case chat.ActionLeft, chat.ActionKicked, chat.ActionBanned:
			m.header.SetMembersCount(max(0, m.header.MembersCount()-1))
		}
	}
	m.list.ApplyMessage(ev.Message, false)
	if ev.On.UID != me {
		if open {
			return m.refreshMembers()
		}
		return nil
	}
	switch ev.Action {
	case chat.ActionKicked, chat.ActionBanned:
		m.list.Remove(conv)
		verb := map[string]string{chat.ActionKicked: "kicked you from", chat.ActionBanned: "banned you from"}[ev.Action]
		cmd := m.notice(name(ev.By)+" "+verb+" "+ev.Group.Name, true)
		if open {
			return tea.Batch(cmd, m.closeConversation())
		}
		return cmd
	case chat.ActionScopeChanged:
		if open {
			m.header.SetScope(ev.NewScope)
			g := m.st.openConv.WithGroup
			if g != nil {
				gg := *g
				gg.Scope = ev.NewScope
				m.st.openConv.WithGroup = &gg
			}
			m.pane.SetConversation(conv, chat.ReceiverGroup, m.st.openConv.Title(), ev.NewScope)
		}
		return m.notice(name(ev.By)+" made you "+string(ev.NewScope)+" in "+ev.Group.Name, false)
	case chat.ActionAdded:
		return tea.Batch(m.fetchConversation(conv, false), m.notice(name(ev.By)+" added you to "+ev.Group.Name, false))
	}
	return nil
}

func name(u chat.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.UID
}

// mentions reports whether msg mentions uid.
func mentions(msg chat.Message, uid string) bool {
	if _, ok := msg.Data.Mentions[uid]; ok {
		return true
	}
	return strings.Contains(msg.Data.Text, "<@uid:"+uid+">")
}
