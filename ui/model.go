// Package ui is the TUI's root model: it lays out the conversation list,
// the header, the message pane, the composer and the side panels, routes
// keys to the focused part, turns the parts' intents into calls to the
// chat client, and feeds the client's events back to them.
package ui

import (
	"io"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/composer"
	"cometterm/ui/convlist"
	"cometterm/ui/directory"
	"cometterm/ui/header"
	"cometterm/ui/inspector"
	"cometterm/ui/members"
	"cometterm/ui/messages"
	"cometterm/ui/msginfo"
	"cometterm/ui/statusbar"
	"cometterm/ui/thread"
)

type focus int

const (
	focusList focus = iota
	focusPane
	focusComposer
	focusSide   // members panel or message info, on the right
	focusEvents // event inspector, at the bottom
)

// Model is the root model. Its parts are pointers: a copy of Model is the
// same TUI, as Bubble Tea's value-typed Update expects.
type Model struct {
	be   Backend
	opts Options
	c    *common.Common
	log  *slog.Logger

	// The keymaps are pointers, like the parts: Bubble Tea's value-typed
	// Update copies Model (onto the heap, as a tea.Model) for every message,
	// and inline they were most of its 1.7 KB.
	keys, composeKeys *KeyMap
	// globals are the footer's global keys of keys and composeKeys.
	globals *[2]globalKeys
	help    *help.Model // a pointer: Update runs on copies

	status   *statusbar.Model
	list     *convlist.Model
	header   *header.Model
	pane     *messages.Model
	composer *composer.Model
	dir      *directory.Model
	members  *members.Model
	events   *inspector.Model
	thread   *thread.Model
	info     *msginfo.Model

	st *state
}

// state is the root's own bookkeeping, shared by every copy of Model.
type state struct {
	pumped                  bool         // events come from PumpEvents, not waitEvent
	held                    []chat.Event // events waiting for a frame (takeEvents)
	heldTaken               bool         // events held back were taken since the last frame
	heldWait                bool         // a heldEventsMsg is on its way
	fit                     lineFitter   // frame lines fitted in the last frames
	partLines               partLines    // ViewRows' parts as lines, kept for their room
	paneLines               []string     // the pane's, kept for their room
	footerMemo              footerMemo
	focus                   focus
	dirOpen, showHelp       bool
	showMembers, showEvents bool
	threadOpen, infoOpen    bool
	listLoaded              bool
	usersAsked              bool // the user directory, once completion needs it
	helpTop                 int  // the help page's scroll position
	// graphemes: the terminal measures text by grapheme cluster (it
	// answered the mode 2027 query), as Bubble Tea's renderer then does.
	graphemes bool

	open     string // the open conversation id
	openConv chat.Conversation
	// members is the open group's member list, fetched only when
	// something needs it (the members panel, completion): a large group's
	// list is big and rarely looked at. membersListed says it came.
	members       []chat.GroupMember
	membersListed bool
	// membersAsked is the group whose list is on its way ("" none): one
	// request at a time; membersStale says a member changed meanwhile,
	// so the answer is fetched again once.
	membersAsked string
	membersStale bool
	// names are the display names known by uid (senders, members, the
	// DM partner): all the panes need of a user.
	names map[string]string
	// lastMine and lastAny remember, per conversation, my newest message
	// (for ↑ edit and /edit, /delete) and the newest of anyone's (/react).
	lastMine, lastAny map[string]chat.Message
	// receipts wait a moment so that a burst is acknowledged once.
	receipts pendingReceipts

	width, height int
	geo           geometry
	laid          layoutShape
	isDark        bool
}

// New builds the TUI over a backend. main needs only this and
// tea.NewProgram(m); closing the backend after the program ends stays the
// caller's job.
func New(be Backend, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Loc == nil {
		opts.Loc = time.Local
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 15 * time.Second
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 30
	}
	c := &common.Common{Theme: common.SharedTheme(!opts.Light, opts.NoColor), Now: opts.Now, Me: be.Me(), Loc: opts.Loc}
	m := Model{
		be: be, opts: opts, c: c, log: opts.Logger,
		keys: new(DefaultKeyMap()), help: new(help.New()),
		status: statusbar.New(c, opts.ServerLabel), list: convlist.New(c), header: header.New(c),
		pane: messages.New(c), composer: composer.New(c), dir: directory.New(c),
		members: members.New(c), events: inspector.New(c), thread: thread.New(c), info: msginfo.New(c),
		st: &state{focus: focusComposer, isDark: !opts.Light, names: map[string]string{},
			lastMine: map[string]chat.Message{}, lastAny: map[string]chat.Message{}},
	}
	m.composeKeys = new(m.keys.composing())
	m.globals = &[2]globalKeys{newGlobalKeys(m.keys), newGlobalKeys(m.composeKeys)}
	if opts.InspectorCapacity > 0 {
		m.events.SetCapacity(opts.InspectorCapacity)
	}
	m.status.SetStatus(be.Status(), 0, 0)
	m.applyHelpStyles()
	m.composer.SetTarget(composer.Target{})
	m.st.names[c.Me.UID] = c.Me.Name
	return m
}

// Init asks the terminal for its background, connects, loads the
// conversation list and starts the event pump.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.connect(), m.loadConversations(), m.waitEvent())
}

func (m *Model) applyHelpStyles() {
	st := help.DefaultStyles(m.c.Theme.IsDark)
	if m.c.Theme.NoColor {
		st = help.Styles{}
	}
	m.help.Styles = st
}

// Update routes one message, then re-lays out if the composer changed
// height (it grows with its text and its completion list).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.Step(msg)
	return m, cmd
}

// Step is Update in place. Bubble Tea's Update returns the model as an
// interface, which costs a copy of it on the heap for every message; a
// server running hundreds of sessions, each taking a stream of chat
// events, calls Step through a pointer instead.
func (m *Model) Step(msg tea.Msg) tea.Cmd {
	cmd := m.update(msg)
	if m.layoutKey() != m.st.laid {
		m.layout()
	}
	return cmd
}

// layoutShape is what decides the layout besides the terminal size.
type layoutShape struct {
	composerH                     int
	side, events, thread, compose bool
}

func (m *Model) layoutKey() layoutShape {
	return layoutShape{composerH: m.composer.Height(), side: m.sideShown(), events: m.st.showEvents,
		thread: m.st.threadOpen, compose: m.st.focus == focusComposer}
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.st.width, m.st.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		return nil
	case tea.ModeReportMsg:
		// Bubble Tea switches its renderer to grapheme widths on these
		// answers (it turns the mode on itself); frames follow it.
		if v := msg.Value; msg.Mode == ansi.ModeUnicodeCore &&
			(v == ansi.ModeSet || v == ansi.ModeReset || v == ansi.ModePermanentlySet) {
			m.st.graphemes = true
		}
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.MouseWheelMsg:
		return m.handleWheel(msg)
	case tea.MouseClickMsg:
		return m.handleClick(msg)
	case eventMsg:
		return m.takeEvents([]chat.Event{msg.ev})
	case eventBatchMsg:
		return m.takeEvents(msg.evs)
	case heldEventsMsg:
		m.st.heldWait = false
		return m.takeEvents(nil)
	case eventsClosedMsg:
		m.status.SetStatus(chat.ConnDisconnected, 0, 0)
		return nil
	}
	if cmd, ok := m.handleResult(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleIntent(msg); ok {
		return cmd
	}
	// Ticks and blinks of the parts: each ignores what is not its own.
	var cmds []tea.Cmd
	_, cmd := m.composer.Update(msg)
	cmds = append(cmds, cmd)
	_, cmd = m.header.Update(msg)
	cmds = append(cmds, cmd)
	_, cmd = m.status.Update(msg)
	cmds = append(cmds, cmd)
	if m.st.dirOpen {
		_, cmd = m.dir.Update(msg)
		cmds = append(cmds, cmd)
	}
	if m.list.Filtering() {
		_, cmd = m.list.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) setTheme(dark bool) {
	if dark == m.st.isDark {
		return
	}
	m.st.isDark = dark
	m.c.Theme = common.SharedTheme(dark, m.opts.NoColor)
	m.list.SetTheme()
	m.composer.SetTheme()
	m.dir.SetTheme()
	m.pane.SetTheme()
	m.members.SetTheme()
	m.thread.SetTheme()
	m.applyHelpStyles()
}

// notice shows a line in the status bar and logs errors.
func (m *Model) notice(text string, isErr bool) tea.Cmd {
	if isErr {
		m.log.Warn("ui", "error", text)
	}
	return m.status.Notice(text, isErr)
}
