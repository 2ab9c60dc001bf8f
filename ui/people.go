package ui

import (
	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
)

// A group's member list and the directory of every user are the largest
// answers a session holds, and most sessions never look at them: a server
// running hundreds of sessions in one large group would hold the list once
// per session. So they are fetched when something needs them: the members
// panel shown, or completion reaching for members (@, /kick's uid) or for
// anyone (/msg, /add, /block); and the directory when the directory view
// opens. Everything else takes names from the messages it shows, and the
// header its count from the group's facts.

// needMembers fetches the open group's member list unless it is there or
// on its way.
func (m *Model) needMembers() tea.Cmd {
	s := m.st
	guid := m.openGroup()
	if guid == "" || s.membersListed || s.membersAsked == guid {
		return nil
	}
	s.membersAsked = guid
	m.members.Unlist() // loading, even after a failed fetch
	return m.fetchMembers(guid)
}

// refreshMembers fetches the list again after a member change, if it is
// held or on its way; a list nobody needed stays unfetched.
func (m *Model) refreshMembers() tea.Cmd {
	s := m.st
	guid := m.openGroup()
	switch {
	case guid == "":
		return nil
	case s.membersAsked == guid:
		s.membersStale = true // the answer may predate the change
		return nil
	case !s.membersListed:
		return nil
	}
	s.membersAsked = guid
	return m.fetchMembers(guid)
}

// forgetMembers drops the member list when another conversation opens.
func (m *Model) forgetMembers() {
	s := m.st
	s.members, s.membersListed, s.membersStale = nil, false, false
}

// applyMembers takes an answer to fetchMembers. The list is held once:
// the members panel points into it and the composer keeps only uids and
// names.
func (m *Model) applyMembers(msg membersMsg) tea.Cmd {
	s := m.st
	if s.membersAsked == msg.guid {
		s.membersAsked = ""
	}
	if m.openGroup() != msg.guid {
		return nil
	}
	if msg.err != nil {
		m.log.Warn("ui: member list", "group", msg.guid, "err", msg.err)
		if s.membersListed {
			return nil // the list held stays
		}
		m.composer.ExpectMembers() // completion may ask again
		if s.showMembers {
			m.members.SetMembers(nil)
			m.members.ShowError(msg.err)
		}
		return nil
	}
	s.members, s.membersListed = msg.members, true
	for i := range msg.members {
		mem := &msg.members[i]
		if mem.UID == m.c.Me.UID && m.status.Status() == chat.ConnConnected {
			mem.Status = chat.StatusOnline // the list may predate my socket
		}
		s.names[mem.UID] = mem.Name
	}
	m.composer.SetMentionableMembers(msg.members)
	m.pane.SetNames(s.names)
	m.thread.SetNames(s.names)
	if len(msg.members) < memberPage {
		m.header.SetMembersCount(len(msg.members)) // the whole list: an exact count
	}
	if g := s.openConv.WithGroup; g != nil {
		me := m.meIn(*g)
		m.members.SetGroup(*g, me)
		m.members.SetMembers(msg.members)
		if me.Scope.Valid() && me.Scope != m.header.Scope() {
			m.header.SetScope(me.Scope)
		}
	}
	if s.membersStale {
		s.membersStale = false
		return m.refreshMembers()
	}
	return nil
}

// needUserDirectory fetches every user once, for completion.
func (m *Model) needUserDirectory() tea.Cmd {
	if m.st.usersAsked {
		return nil
	}
	m.st.usersAsked = true
	return m.fetchUserDirectory()
}

// applyUserDirectory takes an answer to fetchUserDirectory.
func (m *Model) applyUserDirectory(msg userDirMsg) {
	if msg.err != nil {
		m.log.Warn("ui: user directory for completion", "err", common.ErrorText(msg.err))
		m.st.usersAsked = false
		m.composer.ExpectDirectory() // the next completion asks again
		return
	}
	m.composer.SetDirectory(msg.users)
}
