// Package directory lists users and groups to start a direct chat or join
// a group, with a password prompt for password groups.
package directory

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Tab is the list shown.
type Tab int

const (
	TabUsers Tab = iota
	TabGroups
)

// Messages the directory sends to the root.
type (
	// StartChatMsg opens (or starts) the direct conversation with User.
	StartChatMsg struct{ User chat.User }
	// OpenGroupMsg opens a group I am already a member of.
	OpenGroupMsg struct{ Group chat.Group }
	// JoinMsg asks to join Group (with Password for password groups).
	JoinMsg struct {
		Group    chat.Group
		Password string
	}
	// CloseMsg closes the directory.
	CloseMsg struct{}
)

// Model is the directory.
type Model struct {
	c    *common.Common
	keys KeyMap

	tab            Tab
	users          []chat.User
	groups         []chat.Group
	loaded         [2]bool
	shown          []int
	cursor, offset int

	search   textinput.Model
	password textinput.Model
	joining  *chat.Group // the password prompt is open for this group
	pending  bool        // a join is in flight

	errText, info string
	width, height int
}

var _ common.Component = (*Model)(nil)

// New builds the directory on the users tab.
func New(c *common.Common) *Model {
	s := textinput.New()
	s.Prompt = "/ "
	s.Placeholder = "search by name or uid"
	p := textinput.New()
	p.Prompt = "password: "
	p.EchoMode = textinput.EchoPassword
	p.EchoCharacter = '•'
	m := &Model{c: c, keys: DefaultKeyMap(), search: s, password: p}
	m.SetTheme()
	return m
}

// SetTheme restyles the inputs.
func (m *Model) SetTheme() {
	st := textinput.DefaultStyles(m.c.Theme.IsDark)
	m.search.SetStyles(st)
	m.password.SetStyles(st)
}

// Reset clears search, prompt and messages; the root calls it on opening.
func (m *Model) Reset() tea.Cmd {
	m.search.SetValue("")
	m.closePrompt()
	m.errText, m.info, m.cursor, m.offset = "", "", 0, 0
	m.loaded = [2]bool{}
	m.refilter()
	return m.search.Focus()
}

// SetUsers fills the users tab (err is shown plainly).
func (m *Model) SetUsers(us []chat.User, err error) {
	m.loaded[TabUsers] = true
	if err != nil {
		m.errText = "could not load users: " + common.ErrorText(err)
		return
	}
	m.users = nil
	for _, u := range us {
		if u.UID != m.c.Me.UID {
			m.users = append(m.users, u)
		}
	}
	m.refilter()
}

// SetGroups fills the groups tab (err is shown plainly).
func (m *Model) SetGroups(gs []chat.Group, err error) {
	m.loaded[TabGroups] = true
	if err != nil {
		m.errText = "could not load groups: " + common.ErrorText(err)
		return
	}
	m.groups = gs
	m.refilter()
}

// JoinFailed shows why the server refused; a wrong password keeps the
// prompt open for another try.
func (m *Model) JoinFailed(err error) {
	m.pending = false
	m.errText = common.ErrorText(err)
	if m.joining != nil && (chat.HasCode(err, chat.ErrWrongGroupPass) || chat.HasCode(err, chat.ErrEmptyGroupPass)) {
		m.password.SetValue("")
		return
	}
	m.closePrompt()
}

// Prompting reports whether the password prompt is open.
func (m *Model) Prompting() bool { return m.joining != nil }

// Tab is the list shown.
func (m *Model) Tab() Tab { return m.tab }

// SetSize sets the directory's size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.search.SetWidth(max(1, w-4))
	m.password.SetWidth(max(1, w-14))
	m.clamp()
}

// Update handles keys.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		if m.joining != nil {
			m.password, cmd = m.password.Update(msg)
		} else {
			m.search, cmd = m.search.Update(msg)
		}
		return m, cmd
	}
	if m.joining != nil {
		return m, m.updatePrompt(k)
	}
	switch {
	case key.Matches(k, m.keys.Close):
		return m, func() tea.Msg { return CloseMsg{} }
	case key.Matches(k, m.keys.SwitchTab):
		m.tab = 1 - m.tab
		m.cursor, m.offset, m.errText, m.info = 0, 0, "", ""
		m.refilter()
		return m, nil
	case key.Matches(k, m.keys.Up):
		m.cursor--
		m.clamp()
		return m, nil
	case key.Matches(k, m.keys.Down):
		m.cursor++
		m.clamp()
		return m, nil
	case key.Matches(k, m.keys.Choose):
		return m, m.choose()
	}
	before := m.search.Value()
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(k)
	if m.search.Value() != before {
		m.cursor, m.offset = 0, 0
		m.refilter()
	}
	return m, cmd
}

func (m *Model) updatePrompt(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Close):
		m.closePrompt()
		m.errText = ""
		return m.search.Focus()
	case key.Matches(k, m.keys.Choose):
		if m.pending {
			return nil
		}
		if m.password.Value() == "" {
			m.errText = "type the group's password"
			return nil
		}
		m.pending, m.errText = true, ""
		join := JoinMsg{Group: *m.joining, Password: m.password.Value()}
		return func() tea.Msg { return join }
	}
	var cmd tea.Cmd
	m.password, cmd = m.password.Update(k)
	return cmd
}

func (m *Model) closePrompt() {
	m.joining, m.pending = nil, false
	m.password.SetValue("")
	m.password.Blur()
}

// choose acts on the selected row.
func (m *Model) choose() tea.Cmd {
	if m.cursor >= len(m.shown) {
		return nil
	}
	m.errText, m.info = "", ""
	if m.tab == TabUsers {
		u := m.users[m.shown[m.cursor]]
		return func() tea.Msg { return StartChatMsg{User: u} }
	}
	g := m.groups[m.shown[m.cursor]]
	switch {
	case g.HasJoined:
		return func() tea.Msg { return OpenGroupMsg{Group: g} }
	case g.IsBanned:
		m.errText = "You are banned from " + g.Name + "."
		return nil
	case g.Type == chat.GroupPrivate:
		m.info = g.Name + " is private: it cannot be joined — a member has to add you."
		return nil
	case g.Type == chat.GroupPassword:
		m.joining = &g
		m.search.Blur()
		return m.password.Focus()
	}
	m.pending = true
	return func() tea.Msg { return JoinMsg{Group: g} }
}

type userNames []chat.User

func (u userNames) String(i int) string { return u[i].Name + " " + u[i].UID }
func (u userNames) Len() int            { return len(u) }

type groupNames []chat.Group

func (g groupNames) String(i int) string { return g[i].Name + " " + g[i].GUID }
func (g groupNames) Len() int            { return len(g) }

func (m *Model) refilter() {
	m.shown = m.shown[:0]
	q := strings.TrimSpace(m.search.Value())
	var src fuzzy.Source = userNames(m.users)
	if m.tab == TabGroups {
		src = groupNames(m.groups)
	}
	if q == "" {
		for i := range src.Len() {
			m.shown = append(m.shown, i)
		}
	} else {
		for _, match := range fuzzy.FindFrom(q, src) {
			m.shown = append(m.shown, match.Index)
		}
	}
	m.clamp()
}

func (m *Model) listHeight() int { return max(1, m.height-5) }

func (m *Model) clamp() {
	m.cursor = max(0, min(m.cursor, len(m.shown)-1))
	h := m.listHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
}

// ShortHelp is the directory's keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.joining != nil {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "join")), m.keys.Close}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Choose, m.keys.SwitchTab, m.keys.Close}
}

// FullHelp is the directory's keys for the full help.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
