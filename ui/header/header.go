// Package header is the conversation header (who or what, type, members,
// my scope, the side-panel keys) and the typing line above the composer.
package header

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/convlist"
)

// DefaultTypingTimeout is how long a typing indicator lasts when its
// "ended" frame never comes (CometChat clients stop after about 5 s).
const DefaultTypingTimeout = 6 * time.Second

// expireMsg ends one typing indicator unless it was renewed since (gen).
type expireMsg struct {
	conv string
	uid  string
	gen  int
}

type typer struct {
	uid, name string
	gen       int
}

// Model is the header and the typing line of the open conversation.
type Model struct {
	c *common.Common

	conv    chat.Conversation
	open    bool
	members int
	scope   chat.Scope

	typers []typer
	gen    int
	// TypingTimeout is the fallback expiry of a typing indicator.
	TypingTimeout time.Duration

	panelKeys []key.Binding
	hintKey   string // what the hints show of panelKeys
	width     int

	memo struct {
		key  content
		view string
		ok   bool
	}
}

// content is everything the header line shows, unstyled: when it is the
// same as in the last frame, so is the line.
type content struct {
	open      bool
	width     int
	theme     *common.Theme
	kind      byte // g: group, u: user, o: other
	title     string
	groupType chat.GroupType
	members   int
	scope     chat.Scope
	online    bool
	seen      string
	blocked   bool
	hints     string
}

var _ common.Component = (*Model)(nil)

// New builds a header with no conversation.
func New(c *common.Common) *Model {
	return &Model{c: c, TypingTimeout: DefaultTypingTimeout}
}

// SetPanelKeys sets the keys advertised on the right (members, events).
func (m *Model) SetPanelKeys(keys ...key.Binding) {
	m.panelKeys = slices.Clone(keys)
	m.hintKey = hintKey(m.panelKeys)
}

// hintKey is what the hints show of keys, for the view's key: worked out
// when they are set, not on every frame.
func hintKey(keys []key.Binding) string {
	var b strings.Builder
	for _, k := range keys {
		if k.Enabled() {
			h := k.Help()
			b.WriteString(h.Key + "\x00" + h.Desc + "\x01")
		}
	}
	return b.String()
}

// SetConversation switches to another conversation and forgets typers.
func (m *Model) SetConversation(c chat.Conversation) {
	if !m.open || c.ConversationID != m.conv.ConversationID {
		m.typers = nil
	}
	m.conv, m.open = c, true
	if g := c.WithGroup; g != nil {
		m.members, m.scope = g.MembersCount, g.Scope
	}
}

// Clear shows no conversation.
func (m *Model) Clear() {
	m.open, m.typers = false, nil
	m.conv = chat.Conversation{}
}

// ConversationID is the conversation the header shows ("" for none).
func (m *Model) ConversationID() string {
	if !m.open {
		return ""
	}
	return m.conv.ConversationID
}

// SetGroup refreshes the group facts (member count, my scope).
func (m *Model) SetGroup(g chat.Group) {
	if m.conv.WithGroup == nil || m.conv.WithGroup.GUID != g.GUID {
		return
	}
	gg := g
	m.conv.WithGroup = &gg
	m.members, m.scope = g.MembersCount, g.Scope
}

// SetMembersCount and SetScope are updated from member events.
func (m *Model) SetMembersCount(n int) { m.members = n }
func (m *Model) SetScope(s chat.Scope) { m.scope = s }
func (m *Model) Scope() chat.Scope     { return m.scope }
func (m *Model) MembersCount() int     { return m.members }

// SetPresence updates the peer's dot in a direct conversation.
func (m *Model) SetPresence(uid string, online bool, at int64) {
	u := m.conv.WithUser
	if u == nil || u.UID != uid {
		return
	}
	uu := *u
	uu.Status = chat.StatusOffline
	if online {
		uu.Status = chat.StatusOnline
	}
	if at != 0 {
		uu.LastActiveAt = at
	}
	m.conv.WithUser = &uu
}

// TypingStarted shows who is typing and returns the tick that hides the
// indicator if "ended" never arrives.
func (m *Model) TypingStarted(who chat.User) tea.Cmd {
	if !m.open || who.UID == m.c.Me.UID {
		return nil
	}
	m.gen++
	name := who.Name
	if name == "" {
		name = who.UID
	}
	t := typer{uid: who.UID, name: name, gen: m.gen}
	replaced := false
	for i := range m.typers {
		if m.typers[i].uid == who.UID {
			m.typers[i].gen = t.gen
			replaced = true
		}
	}
	if !replaced {
		m.typers = append(m.typers, t)
	}
	msg := expireMsg{conv: m.conv.ConversationID, uid: who.UID, gen: t.gen}
	return tea.Tick(m.TypingTimeout, func(time.Time) tea.Msg { return msg })
}

// TypingEnded hides a typer at once (they stopped or their message came).
func (m *Model) TypingEnded(uid string) {
	for i := range m.typers {
		if m.typers[i].uid == uid {
			m.typers = append(m.typers[:i], m.typers[i+1:]...)
			return
		}
	}
}

// Typers is how many people are shown typing.
func (m *Model) Typers() int { return len(m.typers) }

// Update handles the expiry ticks.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if e, ok := msg.(expireMsg); ok && e.conv == m.conv.ConversationID {
		for i := range m.typers {
			if m.typers[i].uid == e.uid && m.typers[i].gen == e.gen {
				m.typers = append(m.typers[:i], m.typers[i+1:]...)
				break
			}
		}
	}
	return m, nil
}

// SetSize sets the width; the header is one line.
func (m *Model) SetSize(w, _ int) { m.width = w }

// View is the one-line header.
func (m *Model) View() string {
	k := m.content()
	if m.memo.ok && m.memo.key == k {
		return m.memo.view
	}
	m.memo.key, m.memo.view, m.memo.ok = k, m.draw(k), true
	return m.memo.view
}

func (m *Model) content() content {
	k := content{open: m.open, width: m.width, theme: m.c.Theme, kind: 'o'}
	if !m.open {
		return k
	}
	k.hints = m.hintKey
	switch {
	case m.conv.WithGroup != nil:
		g := m.conv.WithGroup
		k.kind, k.title, k.groupType, k.members, k.scope = 'g', g.Name, g.Type, m.members, m.scope
	case m.conv.WithUser != nil:
		u := m.conv.WithUser
		k.kind, k.title, k.online, k.blocked = 'u', u.Name, u.Online(), u.BlockedByMe
		if !k.online && u.LastActiveAt != 0 {
			k.seen = convlist.RelativeTime(m.c.Now(), u.LastActiveAt, m.c.Loc)
		}
	default:
		k.title = m.conv.Title()
	}
	return k
}

func (m *Model) draw(k content) string {
	t := m.c.Theme
	if !k.open {
		return common.FitLine(t.HeaderDim.Render(" No conversation open: pick one on the left or press n"), m.width, "…")
	}
	var parts []string
	var title string
	switch k.kind {
	case 'g':
		mark := map[chat.GroupType]string{chat.GroupPassword: "🔒", chat.GroupPrivate: "◆"}[k.groupType]
		if mark == "" {
			mark = "#"
		}
		title = t.Header.Render(mark + " " + k.title)
		parts = append(parts, string(k.groupType), plural(k.members, "member"))
		if k.scope != "" {
			parts = append(parts, "you: "+m.scopeStyle().Render(string(k.scope)))
		}
	case 'u':
		if k.online {
			title = t.Online.Render("●") + " " + t.Header.Render(k.title)
			parts = append(parts, "online")
		} else {
			title = t.Offline.Render("○") + " " + t.Header.Render(k.title)
			seen := "offline"
			if k.seen != "" {
				seen = "last seen " + k.seen
				if !strings.HasSuffix(seen, "now") {
					seen += " ago"
				}
			}
			parts = append(parts, seen)
		}
		if k.blocked {
			parts = append(parts, t.Error.Render("blocked"))
		}
	default:
		title = t.Header.Render(k.title)
	}
	left := " " + title
	sep := t.HeaderDim.Render(" · ")
	for _, p := range parts {
		left += sep + t.HeaderDim.Render(p)
	}
	right := m.hints()
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if right == "" || gap < 2 {
		return common.FitLine(left, m.width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) hints() string {
	t := m.c.Theme
	var hs []string
	for _, k := range m.panelKeys {
		if k.Enabled() {
			h := k.Help()
			hs = append(hs, t.Bold.Render(h.Key)+" "+t.HeaderDim.Render(h.Desc))
		}
	}
	if len(hs) == 0 {
		return ""
	}
	return strings.Join(hs, t.HeaderDim.Render(" · ")) + " "
}

func (m *Model) scopeStyle() lipgloss.Style {
	switch m.scope {
	case chat.ScopeAdmin:
		return m.c.Theme.ScopeAdmin
	case chat.ScopeModerator:
		return m.c.Theme.ScopeModerator
	}
	return m.c.Theme.ScopeParticipant
}

// TypingLine is the line above the composer: who is typing, or blank.
func (m *Model) TypingLine() string {
	var s string
	switch n := len(m.typers); {
	case n == 0:
		return common.FitLine("", m.width, "…")
	case n == 1:
		s = m.typers[0].name + " is typing…"
	case n == 2:
		s = m.typers[0].name + " and " + m.typers[1].name + " are typing…"
	default:
		s = strconv.Itoa(n) + " people are typing…"
	}
	return common.FitLine(" "+m.c.Theme.Typing.Render(s), m.width, "…")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// ShortHelp: the header has no keys of its own.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp: the header has no keys of its own.
func (m *Model) FullHelp() [][]key.Binding { return nil }
