package ui

import (
	"context"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/chat/client"
	"cometterm/ui/common"
	"cometterm/ui/composer"
)

// command runs a slash command the composer parsed (arguments are already
// counted and checked there). What needs an open conversation or a group
// says so plainly instead of sending anything.
func (m *Model) command(c common.Command) tea.Cmd {
	be := m.be
	arg := func(i int) string {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return ""
	}
	guid := m.openGroup()
	needGroup := func() bool {
		if guid == "" {
			m.composer.SetError("/" + c.Name + " works in a group conversation")
			return false
		}
		return true
	}
	switch c.Name {
	case "quit":
		return tea.Quit
	case "help":
		m.st.showHelp, m.st.helpTop = true, 0
		return nil
	case "msg":
		return m.startDirect(arg(0), arg(1))
	case "join":
		return m.join(arg(0), arg(1))
	case "leave":
		if !needGroup() {
			return nil
		}
		return m.call(func(ctx context.Context) tea.Msg { return leftMsg{guid: guid, err: be.LeaveGroup(ctx, guid)} })
	case "create":
		return m.create(c.Args)
	case "add":
		if !needGroup() {
			return nil
		}
		return m.memberAction(common.MemberAction{GUID: guid, UIDs: c.Args, Action: chat.ActAddMembers}, false)
	case "kick", "ban", "unban":
		if !needGroup() {
			return nil
		}
		act := map[string]chat.GroupAction{"kick": chat.ActKick, "ban": chat.ActBan, "unban": chat.ActUnban}[c.Name]
		return m.memberAction(common.MemberAction{GUID: guid, UID: arg(0), Action: act}, false)
	case "scope":
		if !needGroup() {
			return nil
		}
		return m.memberAction(common.MemberAction{GUID: guid, UID: arg(0), Action: chat.ActChangeScope, Scope: chat.Scope(arg(1))}, false)
	case "block", "unblock":
		uid := arg(0)
		if c.Name == "block" {
			return m.done("blocked "+uid, func(ctx context.Context) error { return be.Block(ctx, uid) })
		}
		return m.done("unblocked "+uid, func(ctx context.Context) error { return be.Unblock(ctx, uid) })
	case "react":
		msg, ok := m.target(false)
		if !ok {
			m.composer.SetError("no message to react to")
			return nil
		}
		return func() tea.Msg { return common.React{ID: msg.ID, Reaction: composer.Emoji(arg(0))} }
	case "edit":
		msg, ok := m.target(true)
		if !ok {
			m.composer.SetError("no message of yours to edit here")
			return nil
		}
		return func() tea.Msg { return common.EditMessage{ID: msg.ID, Text: arg(0)} }
	case "delete":
		msg, ok := m.target(true)
		if !ok {
			m.composer.SetError("no message of yours to delete here")
			return nil
		}
		return func() tea.Msg { return common.DeleteMessage{ID: msg.ID} }
	case "thread", "info":
		msg, ok := m.target(false)
		if !ok {
			m.composer.SetError("no message selected")
			return nil
		}
		if c.Name == "thread" {
			return func() tea.Msg { return common.OpenThread{Parent: msg} }
		}
		return func() tea.Msg { return common.ShowMessageInfo{Message: msg} }
	}
	m.composer.SetError("unknown command /" + c.Name)
	return nil
}

func (m *Model) create(args []string) tea.Cmd {
	ng := client.NewGroup{GUID: args[0], Name: args[1], Type: chat.GroupPublic}
	if len(args) > 2 {
		ng.Type, _ = chat.ParseGroupType(args[2])
	}
	if len(args) > 3 {
		ng.Password = args[3]
	}
	be := m.be
	return m.call(func(ctx context.Context) tea.Msg {
		g, err := be.CreateGroup(ctx, ng)
		return joinedMsg{group: g, err: err}
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
