package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/chat/client"
)

// Every call to the server runs in a tea.Cmd and comes back as one of
// these messages, carrying the conversation (or group) it belongs to so
// that a late answer never lands in another conversation.

type (
	eventMsg        struct{ ev chat.Event }
	eventBatchMsg   struct{ evs []chat.Event }
	eventsClosedMsg struct{}
	heldEventsMsg   struct{} // time to take the events held back
	connectedMsg    struct{ err error }

	conversationsMsg struct {
		convs []chat.Conversation
		err   error
	}
	conversationMsg struct {
		conv chat.Conversation
		open bool // open it once it arrives
		err  error
	}
	// parentMsg is a thread parent fetched again for its reply count.
	parentMsg struct {
		parent chat.Message
		err    error
	}
	historyMsg struct {
		conv   string
		before chat.ID
		msgs   []chat.Message
		err    error
	}
	groupMsg struct {
		group chat.Group
		err   error
	}
	membersMsg struct {
		guid    string
		members []chat.GroupMember
		err     error
	}
	// sentMsg answers SendText; fromComposer says where to show an error.
	sentMsg struct {
		conv string
		msg  chat.Message
		err  error
	}
	// changedMsg answers edit, delete and reactions with the new message.
	changedMsg struct {
		what string
		msg  chat.Message
		err  error
	}
	usersMsg struct {
		users []chat.User
		err   error
	}
	// userDirMsg answers the fetch of every user that completing uids in
	// /msg, /add and /block asked for.
	userDirMsg struct {
		users []chat.User
		err   error
	}
	groupsMsg struct {
		groups []chat.Group
		err    error
	}
	// directMsg answers /msg: the peer, and text to send once open.
	directMsg struct {
		user chat.User
		text string
		err  error
	}
	joinedMsg struct {
		group chat.Group
		err   error
	}
	leftMsg struct {
		guid string
		err  error
	}
	// doneMsg answers calls whose only result is success or refusal.
	doneMsg struct {
		ok  string // notice on success
		err error
	}
	// memberDoneMsg answers a member action; panel says whether the
	// members panel asked (its refusal shows there) or a slash command.
	memberDoneMsg struct {
		guid  string
		ok    string
		panel bool
		err   error
	}
	// noopMsg ends a fire-and-forget call (receipts, typing).
	noopMsg struct{}
)

// maxEventBatch bounds how many waiting events one Update takes.
const maxEventBatch = 64

// waitEvent is the transport pump when the program's owner runs none
// (PumpEvents): a command that waits for an event on the client's channel
// and takes those already waiting behind it, so that a burst is one Update
// (and one frame) rather than one per event; Update re-arms it after each.
func (m *Model) waitEvent() tea.Cmd {
	if m.st.pumped {
		return nil
	}
	ch := m.be.Events()
	return func() tea.Msg { return nextEvents(ch, nil, nil) }
}

// PumpEvents hands the client's events to the program through send, from
// a goroutine of its own, until the events end or done closes. The
// default pump costs a command, and a goroutine to run it, per burst of
// events; a server running hundreds of sessions spends less with one
// long-lived goroutine each. Call it before the program runs.
func (m Model) PumpEvents(send func(tea.Msg), done <-chan struct{}) {
	m.PumpEventsPaced(send, nil, done)
}

// PumpEventsPaced is PumpEvents with pace, which is called once an event
// has arrived, before the events waiting behind it are taken, and
// returns when they may go to the program (false: done closed). A
// program that draws a frame only so often lets the events of one frame
// gather, and wakes once for them all.
func (m Model) PumpEventsPaced(send func(tea.Msg), pace func() bool, done <-chan struct{}) {
	m.st.pumped = true
	ch := m.be.Events()
	go func() {
		for {
			msg := nextEvents(ch, pace, done)
			if msg == nil {
				return
			}
			send(msg)
			if _, closed := msg.(eventsClosedMsg); closed {
				return
			}
		}
	}()
}

// nextEvents waits for the next event on ch and, after pace (when not
// nil) returns, takes those already waiting behind it; nil when done
// closes first or pace returns false.
func nextEvents(ch <-chan chat.Event, pace func() bool, done <-chan struct{}) tea.Msg {
	select {
	case <-done: // before any event waiting, so that done stops it surely
		return nil
	default:
	}
	var ev chat.Event
	var ok bool
	select {
	case ev, ok = <-ch:
	case <-done:
		return nil
	}
	if !ok {
		return eventsClosedMsg{}
	}
	if pace != nil && !pace() {
		return nil
	}
	// Sized for those already waiting: a paced pump takes a frame's
	// events at once, and growing the batch to them cost more than it.
	evs := make([]chat.Event, 1, min(1+len(ch), maxEventBatch))
	evs[0] = ev
	for len(evs) < maxEventBatch {
		select {
		case ev, ok := <-ch:
			if !ok {
				return eventBatchMsg{evs: evs} // the next wait reports the close
			}
			evs = append(evs, ev)
			continue
		default:
		}
		break
	}
	if len(evs) == 1 {
		return eventMsg{ev: evs[0]}
	}
	return eventBatchMsg{evs: evs}
}

func (m *Model) connect() tea.Cmd {
	if m.be.Status() == chat.ConnConnected {
		return nil
	}
	be := m.be
	timeout := 2 * m.opts.RequestTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return connectedMsg{err: be.Connect(ctx)}
	}
}

func (m *Model) loadConversations() tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		cs, err := be.Conversations(ctx, chat.ConversationQuery{Page: chat.Page{PerPage: 100}})
		return conversationsMsg{convs: cs, err: err}
	})
}

func (m *Model) fetchConversation(id string, open bool) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		c, err := be.Conversation(ctx, id)
		return conversationMsg{conv: c, open: open, err: err}
	})
}

// fetchParent asks for a thread parent, whose replyCount is the server's.
func (m *Model) fetchParent(id chat.ID) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		p, err := be.Message(ctx, id)
		return parentMsg{parent: p, err: err}
	})
}

func (m *Model) fetchHistory(conv string, before chat.ID) tea.Cmd {
	be, limit := m.be, m.opts.PageSize
	q := chat.MessageQuery{ConversationID: conv, Limit: limit, HideReplies: true}
	if before != 0 {
		q.Affix, q.ID = "prepend", before
	}
	return m.call(func(ctx context.Context) tea.Msg {
		msgs, err := be.Messages(ctx, q)
		return historyMsg{conv: conv, before: before, msgs: msgs, err: err}
	})
}

func (m *Model) fetchGroup(guid string) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		g, err := be.Group(ctx, guid)
		return groupMsg{group: g, err: err}
	})
}

// memberPage is how many members one fetch asks for.
const memberPage = 1000

func (m *Model) fetchMembers(guid string) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		ms, err := be.ListMembers(ctx, guid, chat.MemberQuery{Page: chat.Page{PerPage: memberPage}})
		return membersMsg{guid: guid, members: ms, err: err}
	})
}

func (m *Model) sendText(conv, receiver string, rt chat.ReceiverType, text string, parent chat.ID) tea.Cmd {
	be := m.be
	var opts []client.SendOption
	if parent != 0 {
		opts = append(opts, client.InThread(parent))
	}
	return m.call(func(ctx context.Context) tea.Msg {
		msg, err := be.SendText(ctx, receiver, rt, text, opts...)
		return sentMsg{conv: conv, msg: msg, err: err}
	})
}

func (m *Model) change(what string, f func(context.Context) (chat.Message, error)) tea.Cmd {
	return m.call(func(ctx context.Context) tea.Msg {
		msg, err := f(ctx)
		return changedMsg{what: what, msg: msg, err: err}
	})
}

func (m *Model) done(ok string, f func(context.Context) error) tea.Cmd {
	return m.call(func(ctx context.Context) tea.Msg { return doneMsg{ok: ok, err: f(ctx)} })
}

// fireAndForget runs a call whose failure is only logged.
func (m *Model) fireAndForget(what string, f func(context.Context) error) tea.Cmd {
	log := m.log
	return m.call(func(ctx context.Context) tea.Msg {
		if err := f(ctx); err != nil {
			log.Debug("ui: background call failed", "call", what, "err", err)
		}
		return noopMsg{}
	})
}

// call wraps f with the request timeout.
func (m *Model) call(f func(context.Context) tea.Msg) tea.Cmd {
	timeout := m.opts.RequestTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return f(ctx)
	}
}

func (m *Model) loadDirectory() tea.Cmd {
	be := m.be
	return tea.Batch(
		m.call(func(ctx context.Context) tea.Msg {
			us, err := be.ListUsers(ctx, chat.UserQuery{Page: chat.Page{PerPage: 200}})
			return usersMsg{users: us, err: err}
		}),
		m.call(func(ctx context.Context) tea.Msg {
			gs, err := be.ListGroups(ctx, chat.GroupQuery{Page: chat.Page{PerPage: 200}})
			return groupsMsg{groups: gs, err: err}
		}))
}

func (m *Model) fetchUserDirectory() tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		us, err := be.ListUsers(ctx, chat.UserQuery{Page: chat.Page{PerPage: 200}})
		return userDirMsg{users: us, err: err}
	})
}

func (m *Model) join(guid, password string) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		g, err := be.JoinGroup(ctx, guid, password)
		return joinedMsg{group: g, err: err}
	})
}

func (m *Model) startDirect(uid, text string) tea.Cmd {
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		u, err := be.User(ctx, uid)
		return directMsg{user: u, text: text, err: err}
	})
}
