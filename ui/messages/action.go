package messages

import (
	"cometterm/chat"
)

// ActionText is the sentence an action (system) message stands for, built
// from its action and entities: "Iron Man made Spiderman a moderator".
func (r *Renderer) ActionText(m *chat.Message) string {
	e := m.Data.Entities
	by := r.entityName(e.By, m.Sender)
	on := r.entityName(e.On, "")
	switch m.Data.Action {
	case chat.ActionJoined:
		return by + " joined" // the joiner is entities.by
	case chat.ActionLeft:
		return by + " left"
	case chat.ActionKicked:
		return on + " " + was(on) + " kicked by " + by
	case chat.ActionBanned:
		return on + " " + was(on) + " banned by " + by
	case chat.ActionUnbanned:
		return on + " " + was(on) + " unbanned by " + by
	case chat.ActionAdded:
		return by + " added " + on
	case chat.ActionScopeChanged:
		scope := "a new scope"
		if x := m.Data.Extras; x != nil && x.Scope != nil {
			scope = article(string(x.Scope.New))
		}
		return by + " made " + on + " " + scope
	case chat.ActionEdited:
		return by + " edited a message"
	case chat.ActionDeleted:
		return by + " deleted a message"
	}
	if m.Data.Text != "" {
		return sanitize(m.Data.Text)
	}
	return by + " " + m.Data.Action
}

// entityName names a user entity, falling back to uid; "someone" when the
// message names nobody.
func (r *Renderer) entityName(e *chat.Entity, uid string) string {
	if e != nil && e.User != nil {
		uid = e.User.UID
	}
	if uid == "" && (e == nil || e.User == nil) {
		return "someone"
	}
	if uid == chat.SystemSender {
		return "The app"
	}
	return r.Name(uid, e)
}

func article(word string) string {
	if word == "" {
		return "a new scope"
	}
	switch word[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + word
	}
	return "a " + word
}

// was agrees with "You".
func was(subject string) string {
	if subject == "You" {
		return "were"
	}
	return "was"
}
