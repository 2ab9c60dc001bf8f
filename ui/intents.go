package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
	"cometterm/ui/common"
	"cometterm/ui/composer"
	"cometterm/ui/convlist"
	"cometterm/ui/directory"
)

// handleIntent turns what a part asked for into server calls.
func (m *Model) handleIntent(msg tea.Msg) (tea.Cmd, bool) {
	s := m.st
	be := m.be
	switch msg := msg.(type) {
	case convlist.OpenMsg:
		return m.openConversation(msg.Conversation), true
	case directory.CloseMsg:
		return m.closeDirectory(), true
	case directory.StartChatMsg:
		s.dirOpen = false
		return m.startDirect(msg.User.UID, ""), true
	case directory.OpenGroupMsg:
		return m.openConversation(groupConversation(msg.Group)), true
	case directory.JoinMsg:
		return m.join(msg.Group.GUID, msg.Password), true
	case composer.NeedPeopleMsg:
		var cmds []tea.Cmd
		if msg.Members {
			cmds = append(cmds, m.needMembers())
		}
		if msg.Directory {
			cmds = append(cmds, m.needUserDirectory())
		}
		return tea.Batch(cmds...), true
	case composer.EditLastMsg:
		if last, ok := s.lastMine[msg.ConversationID]; ok {
			m.composer.BeginEdit(last)
			return nil, true
		}
		return m.notice("nothing of yours to edit here", false), true
	case common.EditRequest:
		m.composer.BeginEdit(msg.Message)
		return m.setFocus(focusComposer), true
	case common.SendText:
		return m.sendText(msg.ConversationID, msg.Receiver, msg.ReceiverType, msg.Text, msg.ParentID), true
	case common.EditMessage:
		return m.change("edit", func(ctx context.Context) (chat.Message, error) { return be.EditMessage(ctx, msg.ID, msg.Text) }), true
	case common.DeleteMessage:
		return m.change("delete", func(ctx context.Context) (chat.Message, error) { return be.DeleteMessage(ctx, msg.ID) }), true
	case common.React:
		if msg.Remove {
			return m.change("remove the reaction", func(ctx context.Context) (chat.Message, error) {
				return be.RemoveReaction(ctx, msg.ID, msg.Reaction)
			}), true
		}
		return m.change("react", func(ctx context.Context) (chat.Message, error) { return be.AddReaction(ctx, msg.ID, msg.Reaction) }), true
	case common.Typing:
		if msg.Receiver == "" {
			return nil, true
		}
		if msg.Started {
			return m.fireAndForget("typing", func(ctx context.Context) error {
				return be.StartTyping(ctx, msg.Receiver, msg.ReceiverType)
			}), true
		}
		return m.fireAndForget("typing", func(ctx context.Context) error {
			return be.EndTyping(ctx, msg.Receiver, msg.ReceiverType)
		}), true
	case common.LoadOlder:
		if msg.ParentID != 0 {
			if s.threadOpen && m.thread.Parent().ID == msg.ParentID {
				return m.fetchThread(msg.ParentID, msg.Before), true
			}
			return nil, true
		}
		if msg.ConversationID != s.open {
			return nil, true
		}
		return m.fetchHistory(msg.ConversationID, msg.Before), true
	case common.MemberAction:
		return m.memberAction(msg, true), true
	case common.ShowBanned:
		return m.fetchBanned(msg.GUID), true
	case common.OpenThread:
		return m.openThread(msg.Parent), true
	case common.ShowMessageInfo:
		return m.showInfo(msg.Message), true
	case common.Copy:
		return tea.Batch(tea.SetClipboard(msg.Text), m.notice("copied", false)), true
	case common.Notice:
		return m.notice(msg.Text, msg.Error), true
	case common.Command:
		return m.command(msg), true
	}
	return nil, false
}

// memberAction calls the server for a scope change, kick, ban, unban or
// add; the server's refusal is shown as it says it.
func (m *Model) memberAction(a common.MemberAction, panel bool) tea.Cmd {
	be := m.be
	done := func(ok string, f func(context.Context) error) tea.Cmd {
		return m.call(func(ctx context.Context) tea.Msg {
			return memberDoneMsg{guid: a.GUID, ok: ok, panel: panel, err: f(ctx)}
		})
	}
	switch a.Action {
	case chat.ActKick:
		return done("kicked "+a.UID, func(ctx context.Context) error { return be.Kick(ctx, a.GUID, a.UID) })
	case chat.ActBan:
		return done("banned "+a.UID, func(ctx context.Context) error { return be.Ban(ctx, a.GUID, a.UID) })
	case chat.ActUnban:
		return done("unbanned "+a.UID, func(ctx context.Context) error { return be.Unban(ctx, a.GUID, a.UID) })
	case chat.ActChangeScope:
		return done(a.UID+" is now "+string(a.Scope), func(ctx context.Context) error {
			return be.ChangeScope(ctx, a.GUID, a.UID, a.Scope)
		})
	case chat.ActAddMembers:
		uids := a.UIDs
		if len(uids) == 0 && a.UID != "" {
			uids = []string{a.UID}
		}
		return done("added "+plural(len(uids), "member"), func(ctx context.Context) error {
			scopes := map[string]chat.Scope{}
			for _, uid := range uids {
				scopes[uid] = chat.ScopeParticipant
			}
			failed, err := be.AddMembers(ctx, a.GUID, scopes)
			if err != nil {
				return err
			}
			for uid, e := range failed {
				if e != nil {
					return &chat.Error{Code: chat.CodeOf(e), Message: uid + ": " + common.ErrorText(e)}
				}
			}
			return nil
		})
	}
	return m.notice("unknown member action "+string(a.Action), true)
}
