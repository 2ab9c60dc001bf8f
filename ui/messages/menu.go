package messages

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cometterm/chat"
	"cometterm/ui/common"
)

// Reactions offered by the picker.
var Reactions = []string{"👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "🔥"}

type action uint8

const (
	actThread action = iota
	actReact
	actEdit
	actDelete
	actCopy
	actInfo
)

type menuItem struct {
	key   string
	label string
	act   action
}

// menu is the action menu of the selected message and its reaction
// picker.
type menu struct {
	msg     chat.Message
	items   []menuItem
	cursor  int
	picking bool
	pick    int
	confirm bool // delete chosen once; a second choice deletes
}

// actions lists what the message allows me: edit only my own text,
// delete my own or, as a group admin or moderator, anyone's.
func (m *Model) actions(msg *chat.Message) []menuItem {
	me := m.c.Me.UID
	mine := msg.Sender == me
	live := !msg.IsDeleted() && !msg.IsAction()
	content := msg.Category == chat.CategoryMessage || msg.Category == chat.CategoryCustom
	var items []menuItem
	if live && content && m.parentID == 0 {
		items = append(items, menuItem{"t", "reply in thread", actThread})
	}
	if live && content {
		items = append(items, menuItem{"r", "react", actReact})
	}
	if live && mine && msg.Category == chat.CategoryMessage && msg.Type == chat.TypeText {
		items = append(items, menuItem{"e", "edit", actEdit})
	}
	moderates := m.kind == chat.ReceiverGroup && (m.myScope == chat.ScopeAdmin || m.myScope == chat.ScopeModerator)
	if live && (mine || moderates) {
		items = append(items, menuItem{"d", "delete", actDelete})
	}
	if live {
		items = append(items, menuItem{"y", "copy", actCopy})
	}
	if mine && !msg.IsAction() {
		items = append(items, menuItem{"i", "info", actInfo})
	}
	return items
}

// openMenu opens the menu on the selected message, if it allows anything.
func (m *Model) openMenu() {
	e := m.selectedEntry()
	if e == nil {
		return
	}
	if items := m.actions(&e.msg); len(items) > 0 {
		m.menu = &menu{msg: e.msg, items: items}
	}
}

// updateMenu handles a key while the menu is open.
func (m *Model) updateMenu(msg tea.KeyPressMsg) tea.Cmd {
	mn, k := m.menu, m.keys
	if mn.picking {
		return m.updatePicker(msg)
	}
	switch {
	case key.Matches(msg, k.Close):
		m.menu = nil
	case key.Matches(msg, k.Up):
		mn.cursor = (mn.cursor + len(mn.items) - 1) % len(mn.items)
		mn.confirm = false
	case key.Matches(msg, k.Down):
		mn.cursor = (mn.cursor + 1) % len(mn.items)
		mn.confirm = false
	case key.Matches(msg, k.Choose):
		return m.choose(mn.items[mn.cursor].act)
	default:
		for i, it := range mn.items {
			if msg.String() == it.key {
				if mn.cursor != i {
					mn.confirm = false
				}
				mn.cursor = i
				return m.choose(it.act)
			}
		}
	}
	return nil
}

func (m *Model) updatePicker(msg tea.KeyPressMsg) tea.Cmd {
	mn, k := m.menu, m.keys
	switch {
	case key.Matches(msg, k.Close):
		mn.picking = false
	case key.Matches(msg, k.Left):
		mn.pick = (mn.pick + len(Reactions) - 1) % len(Reactions)
	case key.Matches(msg, k.Right):
		mn.pick = (mn.pick + 1) % len(Reactions)
	case key.Matches(msg, k.Choose):
		return m.react(Reactions[mn.pick])
	default:
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && int(s[0]-'0') <= len(Reactions) {
			return m.react(Reactions[s[0]-'1'])
		}
	}
	return nil
}

// react toggles my reaction: a second identical one takes it back.
func (m *Model) react(r string) tea.Cmd {
	msg := m.menu.msg
	m.menu = nil
	remove := false
	for _, rc := range msg.Data.Reactions {
		if rc.Reaction == r && rc.ReactedByMe {
			remove = true
		}
	}
	return emit(common.React{ID: msg.ID, Reaction: r, Remove: remove})
}

func (m *Model) choose(a action) tea.Cmd {
	mn := m.menu
	msg := mn.msg
	switch a {
	case actReact:
		mn.picking = true
		return nil
	case actDelete:
		if !mn.confirm {
			mn.confirm = true
			return nil
		}
		m.menu = nil
		return emit(common.DeleteMessage{ID: msg.ID})
	}
	m.menu = nil
	switch a {
	case actThread:
		return emit(common.OpenThread{Parent: msg})
	case actEdit:
		return emit(common.EditRequest{Message: msg})
	case actCopy:
		return emit(common.Copy{Text: m.copyText(&msg)})
	case actInfo:
		return emit(common.ShowMessageInfo{Message: msg})
	}
	return nil
}

// copyText is what "copy" puts on the clipboard: the text as shown, the
// attachment URLs, or the custom data.
func (m *Model) copyText(msg *chat.Message) string {
	switch {
	case msg.Category == chat.CategoryCustom:
		return compactJSON(msg.Data.CustomData)
	case msg.Type != chat.TypeText && len(msg.Data.Attachments) > 0:
		var urls []string
		for _, a := range msg.Data.Attachments {
			urls = append(urls, a.URL)
		}
		return strings.Join(urls, "\n")
	}
	return m.r.body(&chat.Message{Data: chat.MessageData{Text: msg.Data.Text, Mentions: msg.Data.Mentions}, Type: chat.TypeText, Category: chat.CategoryMessage}).String()
}

func emit(v tea.Msg) tea.Cmd { return func() tea.Msg { return v } }

// menuView draws the menu box, at most width cells wide.
func (m *Model) menuView(width int) []string {
	mn := m.menu
	t := m.c.Theme
	var rows []string
	if mn.picking {
		var b strings.Builder
		for i, r := range Reactions {
			if i == mn.pick {
				b.WriteString(t.ItemSelected.Render("[" + r + "]"))
			} else {
				b.WriteString(" " + r + " ")
			}
		}
		rows = append(rows, b.String(), t.Dim.Render("1-8 or ←/→ and enter"))
	} else {
		for i, it := range mn.items {
			label := it.label
			if it.act == actDelete && mn.confirm {
				label = "delete? press again"
			}
			row := "  " + t.Bold.Render(it.key) + "  " + label
			if i == mn.cursor {
				row = t.ItemSelected.Render("› " + it.key + "  " + label)
				if it.act == actDelete && mn.confirm {
					row = t.Error.Render("› " + it.key + "  " + label)
				}
			}
			rows = append(rows, row)
		}
	}
	title := " Message #" + mn.msg.ID.String() + " "
	inner := ansi.StringWidth(title) + 2
	for _, r := range rows {
		inner = max(inner, ansi.StringWidth(r)+2)
	}
	inner = min(inner, max(width-2, 4))
	b := t.Border
	out := []string{b.Render("╭─") + t.Title.Render(ansi.Truncate(title, inner-1, "…")) + b.Render(strings.Repeat("─", max(0, inner-1-ansi.StringWidth(title)))+"╮")}
	for _, r := range rows {
		out = append(out, b.Render("│")+pad(" "+ansi.Truncate(r, inner-2, "…"), inner)+b.Render("│"))
	}
	return append(out, b.Render("╰"+strings.Repeat("─", inner)+"╯"))
}
