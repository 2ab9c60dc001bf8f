// Package statusbar is the top bar: the app, the server, transient
// notices, the connection state and who I am.
package statusbar

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// NoticeFor is how long a notice stays up.
const NoticeFor = 6 * time.Second

type clearMsg struct{ gen int }

// Model is the top bar.
type Model struct {
	c      *common.Common
	server string

	status  chat.ConnStatus
	attempt int
	retryIn time.Duration

	notice    string
	noticeErr bool
	gen       int

	width int

	memo struct {
		key  barKey
		view string
		ok   bool
	}
}

// barKey is everything the bar shows: the bar is redrawn only when it
// changes, not in every frame.
type barKey struct {
	width          int
	theme          *common.Theme
	server, notice string
	noticeErr      bool
	name, uid      string
	status         chat.ConnStatus
	attempt        int
	retryIn        time.Duration
}

var _ common.Component = (*Model)(nil)

// New builds the bar; server names the server (for example its host).
func New(c *common.Common, server string) *Model {
	return &Model{c: c, server: server, status: chat.ConnConnecting}
}

// SetStatus records the connection state.
func (m *Model) SetStatus(st chat.ConnStatus, attempt int, retryIn time.Duration) {
	m.status, m.attempt, m.retryIn = st, attempt, retryIn
}

// Status is the connection state shown.
func (m *Model) Status() chat.ConnStatus { return m.status }

// Notice shows text for a while and returns the tick that clears it.
func (m *Model) Notice(text string, isErr bool) tea.Cmd {
	m.gen++
	m.notice, m.noticeErr = text, isErr
	gen := m.gen
	return tea.Tick(NoticeFor, func(time.Time) tea.Msg { return clearMsg{gen: gen} })
}

// NoticeText is the notice shown now ("" for none).
func (m *Model) NoticeText() string { return m.notice }

// Update clears notices when their time is up.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if c, ok := msg.(clearMsg); ok && c.gen == m.gen {
		m.notice = ""
	}
	return m, nil
}

// SetSize sets the width; the bar is one line.
func (m *Model) SetSize(w, _ int) { m.width = w }

// View draws the bar.
func (m *Model) View() string {
	k := barKey{width: m.width, theme: m.c.Theme, server: m.server, notice: m.notice, noticeErr: m.noticeErr,
		name: m.c.Me.Name, uid: m.c.Me.UID, status: m.status, attempt: m.attempt, retryIn: m.retryIn}
	if m.memo.ok && m.memo.key == k {
		return m.memo.view
	}
	m.memo.key, m.memo.view, m.memo.ok = k, m.draw(), true
	return m.memo.view
}

func (m *Model) draw() string {
	t := m.c.Theme
	left := " " + t.Title.Render("cometterm")
	if m.server != "" {
		left += t.Dim.Render(" · " + m.server)
	}
	if m.notice != "" {
		st := t.StatusWarn
		if m.noticeErr {
			st = t.StatusBad
		}
		left += "  " + st.Render(m.notice)
	}
	me := m.c.Me.Name
	if me == "" {
		me = m.c.Me.UID
	} else {
		me += " (" + m.c.Me.UID + ")"
	}
	right := m.statusText() + t.Dim.Render(" · ") + t.Header.Render(me) + " "
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Keep the connection state; the notice and server give way.
		left = ansi.Truncate(left, max(0, m.width-lipgloss.Width(right)-1), "…")
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	line := left + strings.Repeat(" ", max(0, gap)) + right
	if lipgloss.Width(line) > m.width {
		line = ansi.Truncate(line, m.width, "")
	}
	return line
}

func (m *Model) statusText() string {
	t := m.c.Theme
	switch m.status {
	case chat.ConnConnected:
		return t.StatusOK.Render("● connected")
	case chat.ConnConnecting:
		s := "◌ connecting"
		if m.attempt > 0 {
			s = "⟳ reconnecting (attempt " + strconv.Itoa(m.attempt) + ")"
		}
		return t.StatusWarn.Render(s)
	}
	s := "○ disconnected"
	if m.retryIn > 0 {
		s += ", retry in " + m.retryIn.Round(100*time.Millisecond).String()
	}
	return t.StatusBad.Render(s)
}

// ShortHelp: the bar has no keys.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp: the bar has no keys.
func (m *Model) FullHelp() [][]key.Binding { return nil }
