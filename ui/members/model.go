// Package members is the members panel of a group: who is in it, their
// scope and presence, and the member actions my scope allows.
package members

import (
	"cmp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

type mode uint8

const (
	modeList mode = iota
	modeScope
	modeConfirm
	modeBanned
	modeAdd
)

// Model is the members panel.
type Model struct {
	c    *common.Common
	keys KeyMap

	group   chat.Group
	me      chat.GroupMember
	members []*chat.GroupMember // owner, admins, moderators, participants; by name; into SetMembers' list
	listed  bool                // SetMembers gave the list; until then the rows wait for it
	banned  []chat.User
	loaded  bool // banned list arrived

	mode    mode
	cursor  int
	offset  int
	bcursor int
	// scopes offered by the scope chooser, and the chosen one.
	scopes []chat.Scope
	scur   int
	// pending is the kick or ban waiting for confirmation.
	pending chat.GroupAction
	input   textinput.Model
	err     string

	width, height int
}

var _ common.Component = (*Model)(nil)

// New builds an empty panel.
func New(c *common.Common) *Model {
	ti := textinput.New()
	ti.Prompt = "add uids: "
	ti.Placeholder = "uid1, uid2"
	m := &Model{c: c, keys: DefaultKeyMap(), input: ti}
	m.SetTheme()
	return m
}

// SetTheme restyles the uid input after a theme change.
func (m *Model) SetTheme() {
	st := textinput.DefaultStyles(m.c.Theme.IsDark)
	st.Cursor.Blink = false // a blinking cursor costs a redraw twice a second
	m.input.SetStyles(st)
}

// SetGroup sets the group and my membership in it (my scope decides
// which actions are offered).
func (m *Model) SetGroup(g chat.Group, me chat.GroupMember) {
	if g.GUID != m.group.GUID {
		m.members, m.listed, m.banned, m.loaded = nil, false, nil, false
		m.cursor, m.offset, m.mode, m.err = 0, 0, modeList, ""
	}
	m.group, m.me = g, me
}

// SetMembers replaces the member list. The panel points into ms rather
// than copying it, so that a large group's list is held once: the caller
// hands ms over, keeps it only to read, and sees in it the presence and
// scope changes the panel applies.
func (m *Model) SetMembers(ms []chat.GroupMember) {
	m.listed = true
	m.members = make([]*chat.GroupMember, len(ms))
	for i := range ms {
		m.members[i] = &ms[i]
	}
	m.sort()
}

// Unlist forgets the member list: the panel shows it loading until
// SetMembers gives one.
func (m *Model) Unlist() {
	m.members, m.listed = nil, false
	m.cursor, m.offset = 0, 0
}

// SetBanned shows the group's banned users (the answer to ShowBanned).
func (m *Model) SetBanned(us []chat.User) {
	m.banned, m.loaded = slices.Clone(us), true
	m.bcursor = min(m.bcursor, max(0, len(m.banned)-1))
}

// ShowError shows the server's refusal of an action as it was given.
func (m *Model) ShowError(err error) {
	if err != nil {
		m.err = err.Error()
	}
}

// SetPresence updates a member's dot and last-seen time.
func (m *Model) SetPresence(uid string, online bool, at int64) {
	for i := range m.members {
		if m.members[i].UID == uid {
			m.members[i].Status = chat.StatusOffline
			if online {
				m.members[i].Status = chat.StatusOnline
			}
			if at != 0 {
				m.members[i].LastActiveAt = at
			}
		}
	}
}

// ApplyMemberChange applies a live group action to the list.
func (m *Model) ApplyMemberChange(ev chat.GroupMemberChanged) {
	if ev.Group.GUID != "" && ev.Group.GUID != m.group.GUID {
		return
	}
	uid := ev.On.UID
	switch ev.Action {
	case chat.ActionJoined, chat.ActionAdded:
		scope := ev.NewScope
		if !scope.Valid() {
			scope = chat.ScopeParticipant
		}
		// Without the list only the count can follow.
		switch {
		case !m.listed:
			m.group.MembersCount++
		case m.index(uid) < 0:
			m.members = append(m.members, &chat.GroupMember{User: ev.On, GUID: m.group.GUID, Scope: scope, JoinedAt: ev.Message.SentAt})
			m.group.MembersCount = max(m.group.MembersCount+1, len(m.members))
		}
	case chat.ActionLeft, chat.ActionKicked, chat.ActionBanned:
		switch i := m.index(uid); {
		case !m.listed:
			m.group.MembersCount = max(0, m.group.MembersCount-1)
		case i >= 0:
			m.members = slices.Delete(m.members, i, i+1)
			m.group.MembersCount = max(m.group.MembersCount-1, len(m.members))
		}
		if ev.Action == chat.ActionBanned && m.loaded {
			m.banned = append(m.banned, ev.On)
		}
		if uid == m.me.UID {
			m.me.Scope = "" // no longer a member: nothing is allowed
		}
	case chat.ActionUnbanned:
		m.banned = slices.DeleteFunc(m.banned, func(u chat.User) bool { return u.UID == uid })
	case chat.ActionScopeChanged:
		if i := m.index(uid); i >= 0 && ev.NewScope.Valid() {
			m.members[i].Scope = ev.NewScope
		}
		if uid == m.me.UID && ev.NewScope.Valid() {
			m.me.Scope = ev.NewScope
		}
	}
	m.sort()
	if m.mode == modeScope || m.mode == modeConfirm {
		m.mode = modeList // the row under the question may have changed
	}
}

// Capturing reports whether the uid input has the keyboard, so the root
// leaves printable keys to the panel.
func (m *Model) Capturing() bool { return m.mode == modeAdd }

// Selected is the member under the cursor.
func (m *Model) Selected() (chat.GroupMember, bool) {
	if m.cursor < len(m.members) {
		return *m.members[m.cursor], true
	}
	return chat.GroupMember{}, false
}

func (m *Model) index(uid string) int {
	return slices.IndexFunc(m.members, func(g *chat.GroupMember) bool { return g.UID == uid })
}

func rank(s chat.Scope) int {
	switch s {
	case chat.ScopeAdmin:
		return 0
	case chat.ScopeModerator:
		return 1
	}
	return 2
}

func (m *Model) sort() {
	owner := m.group.Owner
	slices.SortStableFunc(m.members, func(a, b *chat.GroupMember) int {
		if (a.UID == owner) != (b.UID == owner) {
			if a.UID == owner {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(rank(a.Scope), rank(b.Scope)); c != 0 {
			return c
		}
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	m.cursor = min(m.cursor, max(0, len(m.members)-1))
}

// SetSize sets the panel's size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.input.SetWidth(max(1, w-len(m.input.Prompt)-2))
}

func emit(v tea.Msg) tea.Cmd { return func() tea.Msg { return v } }

// Update handles the panel's keys; actions come back as MemberAction.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if m.mode == modeAdd {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
		return m, nil
	}
	if m.mode != modeAdd {
		m.err = ""
	}
	switch m.mode {
	case modeScope:
		return m, m.updateScope(kp)
	case modeConfirm:
		return m, m.updateConfirm(kp)
	case modeBanned:
		return m, m.updateBanned(kp)
	case modeAdd:
		return m, m.updateAdd(kp)
	}
	return m, m.updateList(kp)
}

// Scroll moves the cursor of the member or banned list by n rows (mouse
// wheel); while a choice, a confirmation or the add prompt is open, the
// wheel leaves their subject alone.
func (m *Model) Scroll(n int) {
	switch m.mode {
	case modeList:
		m.cursor = max(0, min(len(m.members)-1, m.cursor+n))
	case modeBanned:
		m.bcursor = max(0, min(len(m.banned)-1, m.bcursor+n))
	}
}

func (m *Model) updateList(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(max(0, len(m.members)-1), m.cursor+1)
	case key.Matches(msg, k.Scope) && m.allowed(chat.ActChangeScope):
		m.scopes = m.scopeChoices()
		m.scur, m.mode = 0, modeScope
	case key.Matches(msg, k.Kick) && m.allowed(chat.ActKick):
		m.pending, m.mode = chat.ActKick, modeConfirm
	case key.Matches(msg, k.Ban) && m.allowed(chat.ActBan):
		m.pending, m.mode = chat.ActBan, modeConfirm
	case key.Matches(msg, k.Banned) && m.allowed(chat.ActUnban):
		m.mode, m.bcursor = modeBanned, 0
		return emit(common.ShowBanned{GUID: m.group.GUID})
	case key.Matches(msg, k.Add) && m.allowed(chat.ActAddMembers):
		m.mode = modeAdd
		m.input.Reset()
		return m.input.Focus()
	}
	return nil
}

func (m *Model) updateScope(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.scur = max(0, m.scur-1)
	case key.Matches(msg, k.Down):
		m.scur = min(len(m.scopes)-1, m.scur+1)
	case msg.String() == "esc":
		m.mode = modeList
	case msg.String() == "enter":
		m.mode = modeList
		t, ok := m.Selected()
		if !ok || m.scur >= len(m.scopes) {
			return nil
		}
		return emit(common.MemberAction{GUID: m.group.GUID, UID: t.UID, Action: chat.ActChangeScope, Scope: m.scopes[m.scur]})
	}
	return nil
}

func (m *Model) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Confirm):
		m.mode = modeList
		if t, ok := m.Selected(); ok {
			return emit(common.MemberAction{GUID: m.group.GUID, UID: t.UID, Action: m.pending})
		}
	case key.Matches(msg, m.keys.Cancel):
		m.mode = modeList
	}
	return nil
}

func (m *Model) updateBanned(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.bcursor = max(0, m.bcursor-1)
	case key.Matches(msg, k.Down):
		m.bcursor = min(max(0, len(m.banned)-1), m.bcursor+1)
	case msg.String() == "esc":
		m.mode = modeList
	case key.Matches(msg, k.Unban) && m.allowedOnBanned():
		return emit(common.MemberAction{GUID: m.group.GUID, UID: m.banned[m.bcursor].UID, Action: chat.ActUnban})
	}
	return nil
}

func (m *Model) updateAdd(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		m.mode = modeList
		m.input.Blur()
		return nil
	case "enter":
		uids := strings.FieldsFunc(m.input.Value(), func(r rune) bool { return r == ',' || r == ' ' })
		m.mode = modeList
		m.input.Blur()
		if len(uids) == 0 {
			return nil
		}
		return emit(common.MemberAction{GUID: m.group.GUID, UIDs: uids, Action: chat.ActAddMembers, Scope: chat.ScopeParticipant})
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

// actor is me, as the rules see me.
func (m *Model) actor() chat.Actor {
	return chat.Actor{UID: m.me.UID, Scope: m.me.Scope, IsOwner: m.group.Owner != "" && m.group.Owner == m.me.UID}
}

// allowed asks the domain rules whether I may do a on the selected member
// (or on the group, for adding; on some banned user, for the list).
func (m *Model) allowed(a chat.GroupAction) bool {
	switch a {
	case chat.ActAddMembers:
		return chat.Allowed(m.actor(), a, nil)
	case chat.ActUnban:
		return chat.Allowed(m.actor(), a, &chat.Target{Scope: chat.ScopeParticipant})
	}
	t, ok := m.Selected()
	if !ok {
		return false
	}
	return chat.Allowed(m.actor(), a, &chat.Target{UID: t.UID, Scope: t.Scope, IsOwner: t.UID == m.group.Owner})
}

func (m *Model) allowedOnBanned() bool {
	return m.bcursor < len(m.banned) && m.allowed(chat.ActUnban)
}

// scopeChoices are the scopes I may give the selected member.
func (m *Model) scopeChoices() []chat.Scope {
	t, _ := m.Selected()
	target := &chat.Target{UID: t.UID, Scope: t.Scope, IsOwner: t.UID == m.group.Owner}
	var out []chat.Scope
	for _, s := range []chat.Scope{chat.ScopeAdmin, chat.ScopeModerator, chat.ScopeParticipant} {
		if chat.Authorize(m.actor(), chat.ActChangeScope, target, s) == nil {
			out = append(out, s)
		}
	}
	return out
}
