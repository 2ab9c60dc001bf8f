// Package composer is the multi-line message editor: enter sends, slash
// commands with completion, @mentions, :emoji: shortcodes, typing
// indicators and editing of a previous message.
package composer

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/sahilm/fuzzy"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Timings of the typing indicator: "ended" after this much idle time, and
// "started" again while typing goes on so that peers' indicators (which
// expire by themselves) stay up.
const (
	DefaultIdleTimeout = 2 * time.Second
	typingRefresh      = 3 * time.Second
	maxPopup           = 6
	maxLines           = 6
)

// Target is where the composer sends: a conversation, or a thread in it.
type Target struct {
	ConversationID string
	Receiver       string
	ReceiverType   chat.ReceiverType
	Title          string
	ParentID       chat.ID
}

// EditLastMsg asks the root for my last message in the conversation, to
// edit it (the root answers with BeginEdit).
type EditLastMsg struct{ ConversationID string }

// NeedPeopleMsg asks the root for people completion needs and has not
// been given: the open group's member list, the directory of every user.
// Each is asked for once; the answer comes back through
// SetMentionableMembers and SetDirectory.
type NeedPeopleMsg struct{ Members, Directory bool }

// supply is whether a list of people completion draws on is there.
type supply uint8

const (
	supplied supply = iota // given, or nothing to give
	missing                // not given: completion that needs it asks
	asked                  // asked for, on its way
)

// idleMsg fires IdleTimeout after a keystroke; gen says which.
type idleMsg struct{ gen int }

type popupKind int

const (
	popupNone popupKind = iota
	popupCommand
	popupMention
)

type candidate struct {
	label, detail string
	insert        string // replaces the word being completed
	uid           string // for mentions
}

// Model is the composer.
type Model struct {
	c    *common.Common
	keys KeyMap
	in   input // the textarea

	target    Target
	hasTarget bool
	drafts    map[string]string

	// IdleTimeout is how long without a keystroke ends "typing".
	IdleTimeout time.Duration
	typing      bool
	typingAt    time.Time
	gen         int

	editing *chat.Message
	errText string

	mentionables []person          // the open conversation's people
	directory    []chat.User       // every user, for /msg, /add, /block…
	picked       map[string]string // "@Name" → uid
	// A group's members and the directory are large and rarely needed,
	// so they come only once completion needs them.
	members, users supply

	popup    popupKind
	items    []candidate
	sel      int
	wordFrom int // rune length of the word being completed

	width int
	// The border is drawn by hand from pieces made on resize and theme
	// change: a lipgloss box re-wraps its content on every keystroke.
	frames    [2]frame // blurred, focused
	framesGen int      // bumped whenever frames are rebuilt

	memo viewMemo
	help helpSets
}

var _ common.Component = (*Model)(nil)

// New builds a focused, empty composer.
func New(c *common.Common) *Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = 0
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = maxLines
	ta.SetHeight(1)
	ta.KeyMap.InsertNewline = key.NewBinding(key.WithKeys("ctrl+j", "alt+enter"))
	m := &Model{c: c, keys: DefaultKeyMap(), in: input{ta: ta}, IdleTimeout: DefaultIdleTimeout,
		drafts: map[string]string{}, picked: map[string]string{}, users: missing}
	m.help = newHelpSets(&m.keys)
	m.clearText() // textarea.New reserved room for 10,000 lines (240 KB)
	m.SetTheme()
	m.in.Focus()
	return m
}

// setText replaces the text, the cursor at its end, as the textarea's
// SetValue does but without its Reset, which reserves room for 10,000
// lines (240 KB) again on every call.
func (m *Model) setText(s string) {
	m.clearText()
	if s != "" {
		m.in.InsertString(s)
	}
}

// clearText empties the textarea as its Reset does (cursor, scroll,
// selection and height back to those of an empty text). Text of two lines
// or more deleted as one selection leaves slices just large enough for the
// empty line that remains, so a newline goes in first: the old lines and
// any reserve are let go.
func (m *Model) clearText() {
	m.in.InsertString("\n")
	m.in.SelectAll()
	m.in.DeleteSelection()
	m.in.MoveToBegin()
	m.in.InsertString("") // recomputes the height, and the scroll with it
}

// SetTheme restyles the textarea for the current theme.
func (m *Model) SetTheme() {
	st := textarea.DefaultStyles(m.c.Theme.IsDark)
	st.Cursor.Blink = false // a steady cursor halves idle redraws
	st.Focused.CursorLine = st.Focused.Text
	st.Focused.Placeholder = m.c.Theme.Dim
	st.Blurred.Placeholder = m.c.Theme.Dim
	m.in.SetStyles(st)
	m.sizeBoxes()
}

// frame is a rounded border at the composer's width in one colour.
type frame struct{ top, left, right, bottom string }

func (m *Model) sizeBoxes() {
	inner := max(0, m.width-2)
	m.framesGen++
	b := lipgloss.RoundedBorder()
	for i, st := range []lipgloss.Style{m.c.Theme.Border, m.c.Theme.FocusedBorder} {
		m.frames[i] = frame{
			top:    st.Render(b.TopLeft + strings.Repeat(b.Top, inner) + b.TopRight),
			left:   st.Render(b.Left) + " ",
			right:  " " + st.Render(b.Right),
			bottom: st.Render(b.BottomLeft + strings.Repeat(b.Bottom, inner) + b.BottomRight),
		}
	}
}

// Focus and Blur give or take the keyboard.
func (m *Model) Focus() tea.Cmd { return m.in.Focus() }
func (m *Model) Blur()          { m.in.Blur() }

// Value is the text as typed.
func (m *Model) Value() string { return m.in.Value() }

// Editing is the message being edited, if any.
func (m *Model) Editing() *chat.Message { return m.editing }

// SetTarget points the composer at a conversation, keeping each
// conversation's draft, and ends typing in the previous one.
func (m *Model) SetTarget(t Target) tea.Cmd {
	if m.hasTarget && m.target.ConversationID == t.ConversationID && m.target.ParentID == t.ParentID {
		m.target = t
		m.updatePlaceholder()
		return nil
	}
	cmd := m.stopTyping()
	if m.hasTarget {
		m.drafts[draftKey(m.target)] = m.in.Value()
	}
	m.target, m.hasTarget = t, t.ConversationID != ""
	m.editing, m.errText = nil, ""
	m.setText(m.drafts[draftKey(t)])
	delete(m.drafts, draftKey(t))
	m.closePopup()
	m.updatePlaceholder()
	return cmd
}

func draftKey(t Target) string { return t.ConversationID + "/" + t.ParentID.String() }

// Target is where the composer sends.
func (m *Model) Target() (Target, bool) { return m.target, m.hasTarget }

// person is someone @ completes to: only what completion shows and
// inserts, so that a large group's member list is not held twice.
type person struct{ uid, name string }

// SetMentionables sets who @ completes to (the group's members or the peer).
func (m *Model) SetMentionables(us []chat.User) {
	m.mentionables = make([]person, len(us))
	for i, u := range us {
		m.mentionables[i] = person{uid: u.UID, name: u.Name}
	}
	m.members = supplied
}

// SetMentionableMembers sets who @ completes to from a group's member
// list, as SetMentionables does with their users. A completion list open,
// or waiting for these members, is refreshed.
func (m *Model) SetMentionableMembers(ms []chat.GroupMember) {
	m.mentionables = make([]person, len(ms))
	for i, g := range ms {
		m.mentionables[i] = person{uid: g.UID, name: g.Name}
	}
	waited := m.members == asked
	m.members = supplied
	if m.popup != popupNone || (waited && m.peopleWord()) {
		m.refreshPopup()
	}
}

// ExpectMembers says that the open conversation is a group whose member
// list has not been given (or did not come when asked for): @ and the uid
// arguments ask for it (NeedPeopleMsg) when they need it, and offer nobody
// until it is given.
func (m *Model) ExpectMembers() {
	m.mentionables, m.members = nil, missing
}

// SetDirectory sets every user of the app, for the uid arguments of
// commands that reach beyond the open conversation (/msg, /add, /block).
// A command argument being typed gets its completion list refreshed, as
// the directory may arrive while the command is being typed.
func (m *Model) SetDirectory(us []chat.User) {
	m.directory, m.users = us, supplied
	if v := m.in.Value(); m.popup != popupNone || (strings.HasPrefix(v, "/") && strings.Contains(v, " ")) {
		m.refreshPopup()
	}
}

// ExpectDirectory says that the directory asked for did not come: the
// next completion that needs it asks again.
func (m *Model) ExpectDirectory() {
	if m.users == asked {
		m.users = missing
	}
}

// peopleWord reports whether the cursor is on a word that completes to
// people: a mention or a slash command's argument.
func (m *Model) peopleWord() bool {
	v := m.in.Value()
	return strings.HasPrefix(m.currentWord(), "@") ||
		(strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && strings.Contains(v, " "))
}

// ask turns what completion needs into a NeedPeopleMsg for what is
// missing; each list is asked for once.
func (m *Model) ask(need NeedPeopleMsg) tea.Cmd {
	need.Members = need.Members && m.members == missing
	need.Directory = need.Directory && m.users == missing
	if !need.Members && !need.Directory {
		return nil
	}
	if need.Members {
		m.members = asked
	}
	if need.Directory {
		m.users = asked
	}
	return func() tea.Msg { return need }
}

// SetError shows an inline error under the input (the server refused).
func (m *Model) SetError(s string) { m.errText = s }

// BeginEdit loads a message into the composer for editing.
func (m *Model) BeginEdit(msg chat.Message) {
	mm := msg
	m.editing = &mm
	m.errText = ""
	m.picked = map[string]string{}
	text := msg.Data.Text
	for uid, u := range msg.Data.Mentions {
		name := "@" + u.Name
		if u.Name == "" {
			name = "@" + uid
		}
		if strings.Contains(text, "<@uid:"+uid+">") {
			text = strings.ReplaceAll(text, "<@uid:"+uid+">", name)
			m.picked[name] = uid
		}
	}
	m.setText(text)
	m.closePopup()
}

func (m *Model) updatePlaceholder() {
	switch {
	case !m.hasTarget:
		m.in.SetPlaceholder("Open a conversation to write")
	case m.target.ParentID != 0:
		m.in.SetPlaceholder("Reply in thread")
	default:
		m.in.SetPlaceholder("Message " + m.target.Title)
	}
}

// SetSize sets the composer's width; its height follows the text.
func (m *Model) SetSize(w, _ int) {
	m.width = w
	m.in.SetWidth(max(1, w-4))
	m.sizeBoxes()
}

// Update handles keys and the typing idle tick.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case idleMsg:
		if msg.gen == m.gen {
			return m, m.stopTyping()
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	before := m.in.Value()
	cmd := m.in.Update(msg)
	return m, tea.Batch(cmd, m.afterChange(before))
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.popup != popupNone {
		switch {
		case key.Matches(k, m.keys.Cancel):
			m.closePopup()
			return nil
		case key.Matches(k, m.keys.Next):
			m.sel = (m.sel + 1) % len(m.items)
			return nil
		case key.Matches(k, m.keys.Prev):
			m.sel = (m.sel + len(m.items) - 1) % len(m.items)
			return nil
		case key.Matches(k, m.keys.Complete):
			m.accept()
			return nil
		case key.Matches(k, m.keys.Send):
			// Enter accepts a completion unless the word is already complete.
			if m.items[m.sel].insert != m.currentWord() {
				m.accept()
				return nil
			}
		}
	}
	switch {
	case key.Matches(k, m.keys.Send):
		return m.submit()
	case key.Matches(k, m.keys.EditLast) && m.in.Value() == "" && m.editing == nil && m.hasTarget && m.target.ParentID == 0:
		id := m.target.ConversationID
		return func() tea.Msg { return EditLastMsg{ConversationID: id} }
	case key.Matches(k, m.keys.Cancel):
		switch {
		case m.editing != nil:
			m.editing = nil
			m.clearText()
		case m.errText != "":
			m.errText = ""
		}
		return nil
	}
	before := m.in.Value()
	cmd := m.in.Update(k)
	return tea.Batch(cmd, m.afterChange(before))
}

// afterChange refreshes the popup and the typing indicator after the
// text changed.
func (m *Model) afterChange(before string) tea.Cmd {
	v := m.in.Value()
	if v == before {
		return nil
	}
	m.errText = ""
	need := m.ask(m.refreshPopup())
	return tea.Batch(need, m.typingAfter(v))
}

// typingAfter starts, refreshes or ends the typing indicator for the
// text v just typed.
func (m *Model) typingAfter(v string) tea.Cmd {
	if v == "" {
		return m.stopTyping()
	}
	if strings.HasPrefix(v, "/") || m.editing != nil || !m.hasTarget {
		return nil
	}
	var cmds []tea.Cmd
	now := m.c.Now()
	if !m.typing || now.Sub(m.typingAt) >= typingRefresh {
		m.typing, m.typingAt = true, now
		cmds = append(cmds, m.typingCmd(true))
	}
	m.gen++
	gen := m.gen
	cmds = append(cmds, tea.Tick(m.IdleTimeout, func(time.Time) tea.Msg { return idleMsg{gen: gen} }))
	return tea.Batch(cmds...)
}

func (m *Model) typingCmd(started bool) tea.Cmd {
	t := common.Typing{Receiver: m.target.Receiver, ReceiverType: m.target.ReceiverType, Started: started}
	return func() tea.Msg { return t }
}

func (m *Model) stopTyping() tea.Cmd {
	if !m.typing {
		return nil
	}
	m.typing = false
	m.gen++
	return m.typingCmd(false)
}

// submit sends the text, the edit or the command.
func (m *Model) submit() tea.Cmd {
	raw := m.in.Value()
	text := strings.TrimSpace(raw)
	if text == "" {
		return nil
	}
	if strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "//") {
		cmd, err := ParseCommand(text)
		if err != nil {
			m.errText = err.Error()
			return nil
		}
		m.reset()
		return func() tea.Msg { return cmd }
	}
	if !m.hasTarget {
		m.errText = "open a conversation first"
		return nil
	}
	text = strings.TrimPrefix(text, "/") // "//x" sends "/x"
	text = expandEmoji(encodeMentions(text, m.picked))
	var out tea.Msg
	if m.editing != nil {
		out = common.EditMessage{ID: m.editing.ID, Text: text}
	} else {
		t := m.target
		out = common.SendText{ConversationID: t.ConversationID, Receiver: t.Receiver,
			ReceiverType: t.ReceiverType, Text: text, ParentID: t.ParentID}
	}
	stop := m.stopTyping()
	m.reset()
	return tea.Batch(stop, func() tea.Msg { return out })
}

func (m *Model) reset() {
	m.clearText()
	m.editing = nil
	m.errText = ""
	m.picked = map[string]string{}
	m.closePopup()
}

// currentWord is the text from the last space (or line start) to the
// cursor on the cursor's line.
func (m *Model) currentWord() string {
	lines := strings.Split(m.in.Value(), "\n")
	row := min(m.in.Line(), len(lines)-1)
	line := []rune(lines[row])
	col := min(m.in.Column(), len(line))
	start := col
	for start > 0 && line[start-1] != ' ' {
		start--
	}
	return string(line[start:col])
}

// refreshPopup lists the candidates for the word at the cursor and
// reports which lists of people they need.
func (m *Model) refreshPopup() (need NeedPeopleMsg) {
	m.closePopup()
	v := m.in.Value()
	word := m.currentWord()
	if strings.HasPrefix(word, "@") {
		need.Members = true
	}
	switch {
	case strings.HasPrefix(v, "/") && !strings.ContainsAny(v, " \n") && !strings.HasPrefix(v, "//"):
		for _, c := range completeCommands(v[1:]) {
			m.items = append(m.items, candidate{label: c.Usage(), detail: c.Help, insert: "/" + c.Name})
		}
		m.popup = popupCommand
	case strings.HasPrefix(word, "@") && len(m.mentionables) > 0:
		m.items = m.mentionCandidates(word[1:])
		m.popup = popupMention
	case strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.Contains(v, "\n"):
		m.items, need = m.argCandidates(v, word)
		m.popup = popupCommand
	default:
		return need
	}
	if len(m.items) == 0 {
		m.closePopup()
		return need
	}
	m.wordFrom = len([]rune(word))
	return need
}

// argCandidates completes the argument being typed in a slash command:
// uids (of the conversation's people, or of everyone for commands that
// reach beyond it), scopes and group types. It reports the lists of
// people those need.
func (m *Model) argCandidates(line, word string) ([]candidate, NeedPeopleMsg) {
	var need NeedPeopleMsg
	name, rest, _ := strings.Cut(line[1:], " ")
	i := len(strings.Fields(rest))
	if word != "" {
		i--
	}
	var out []candidate
	add := func(insert, detail string) {
		if strings.HasPrefix(insert, word) && insert != word && len(out) < maxPopup {
			out = append(out, candidate{label: insert, detail: detail, insert: insert})
		}
	}
	switch argKindAt(name, i) {
	case argUID:
		need.Members = true
		for _, p := range m.mentionables {
			if p.uid != m.c.Me.UID {
				add(p.uid, p.name)
			}
		}
	case argUser, argNewMember:
		seen := map[string]bool{m.c.Me.UID: true}
		newMember := argKindAt(name, i) == argNewMember
		// A new member is anyone not in the group: its list sorts them out.
		need.Directory, need.Members = true, newMember
		if newMember {
			for _, p := range m.mentionables {
				seen[p.uid] = true
			}
		}
		offer := func(uid, name string) {
			if !seen[uid] {
				seen[uid] = true
				add(uid, name)
			}
		}
		for _, u := range m.directory {
			offer(u.UID, u.Name)
		}
		if !newMember {
			for _, p := range m.mentionables {
				offer(p.uid, p.name)
			}
		}
	case argScope:
		for _, s := range []chat.Scope{chat.ScopeAdmin, chat.ScopeModerator, chat.ScopeParticipant} {
			add(string(s), "")
		}
	case argGroupType:
		for _, t := range []chat.GroupType{chat.GroupPublic, chat.GroupPassword, chat.GroupPrivate} {
			add(string(t), "")
		}
	}
	return out, need
}

type people []person

func (p people) String(i int) string { return p[i].name }
func (p people) Len() int            { return len(p) }

func (m *Model) mentionCandidates(q string) []candidate {
	var out []candidate
	add := func(p person) {
		if p.uid == m.c.Me.UID || len(out) >= maxPopup {
			return
		}
		name := p.name
		if name == "" {
			name = p.uid
		}
		out = append(out, candidate{label: "@" + name, detail: p.uid, insert: "@" + name, uid: p.uid})
	}
	if q == "" {
		for _, p := range m.mentionables {
			add(p)
		}
		return out
	}
	// Names match fuzzily; uids only by prefix, or "sp" would match every
	// "superheroN".
	seen := map[string]bool{}
	for _, match := range fuzzy.FindFrom(q, people(m.mentionables)) {
		p := m.mentionables[match.Index]
		seen[p.uid] = true
		add(p)
	}
	for _, p := range m.mentionables {
		if !seen[p.uid] && strings.HasPrefix(p.uid, q) {
			add(p)
		}
	}
	return out
}

// accept replaces the word being completed with the selected candidate.
func (m *Model) accept() {
	c := m.items[m.sel]
	for range m.wordFrom {
		m.in.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	m.in.InsertString(c.insert + " ")
	if c.uid != "" {
		m.picked[c.insert] = c.uid
	}
	m.closePopup()
}

func (m *Model) closePopup() {
	m.popup, m.items, m.sel, m.wordFrom = popupNone, nil, 0, 0
}

// PopupOpen reports whether a completion list is showing (enter and the
// arrows belong to it).
func (m *Model) PopupOpen() bool { return m.popup != popupNone }

// helpSets are the composer's keys for the footer, listed once: the
// footer asks for them on every frame, and the bindings never change.
// Callers only read them (and get them clipped, so an append copies).
type helpSets struct {
	popup, editing, writing []key.Binding
	full                    [][]key.Binding
}

func newHelpSets(k *KeyMap) helpSets {
	return helpSets{
		popup:   []key.Binding{k.Complete, k.Next, k.Cancel},
		editing: []key.Binding{k.Send, k.Newline, k.Cancel},
		writing: []key.Binding{k.Send, k.Newline, k.EditLast},
		full:    [][]key.Binding{{k.Send, k.Newline, k.EditLast}, {k.Complete, k.Next, k.Prev, k.Cancel}},
	}
}

// ShortHelp is the composer's keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	h := &m.help
	if m.popup != popupNone {
		return slices.Clip(h.popup)
	}
	if m.editing != nil {
		return slices.Clip(h.editing)
	}
	return slices.Clip(h.writing)
}

// FullHelp is the composer's keys for the full help.
func (m *Model) FullHelp() [][]key.Binding { return slices.Clip(m.help.full) }
