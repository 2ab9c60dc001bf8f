package convlist

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cometterm/chat"
)

// mentionToken is CometChat's inline mention: <@uid:superhero2>.
var mentionToken = regexp.MustCompile(`<@uid:([^>]+)>`)

// ShowMentions replaces mention tokens with @Name, using the names the
// message carries (falling back to the uid).
func ShowMentions(text string, mentions map[string]chat.User) string {
	if !strings.Contains(text, "<@uid:") {
		return text
	}
	return mentionToken.ReplaceAllStringFunc(text, func(tok string) string {
		uid := mentionToken.FindStringSubmatch(tok)[1]
		if u, ok := mentions[uid]; ok && u.Name != "" {
			return "@" + u.Name
		}
		return "@" + uid
	})
}

// Preview is the one-line summary of a message shown under a conversation.
// In groups, other people's messages are prefixed with the sender's name.
func Preview(m *chat.Message, me string) string {
	from, body, named := previewParts(m, me)
	if !named {
		return body
	}
	return from + ": " + body
}

// appendPreview appends Preview(m, me) to b.
func appendPreview(b []byte, m *chat.Message, me string) []byte {
	from, body, named := previewParts(m, me)
	if named {
		b = append(append(b, from...), ": "...)
	}
	return append(b, body...)
}

// previewParts are the summary of the message and, when named, the
// sender's name that Preview puts in front of it.
func previewParts(m *chat.Message, me string) (from, body string, named bool) {
	if m == nil {
		return "", "", false
	}
	body = summary(m)
	if m.IsAction() || m.Sender == me || m.ReceiverType != chat.ReceiverGroup {
		return "", body, false
	}
	return displayName(m.SenderUser(), m.Sender), body, true
}

func summary(m *chat.Message) string {
	switch {
	case m.IsDeleted():
		return "message deleted"
	case m.IsAction():
		return ActionText(m)
	case m.Category == chat.CategoryCall:
		return "call"
	case m.Category == chat.CategoryCustom:
		return "custom message"
	}
	switch m.Type {
	case chat.TypeText:
		return squeeze(ShowMentions(m.Data.Text, m.Data.Mentions))
	case chat.TypeImage, chat.TypeVideo, chat.TypeAudio, chat.TypeFile:
		return "[" + m.Type + "]"
	}
	return m.Type
}

// squeeze is strings.Join(strings.Fields(s), " "): runs of white space
// become one space, and none is left at the ends. Most texts are already
// so (ASCII with single spaces) and come back as they are.
func squeeze(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || isSpace(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// isSpace is strings.Fields' white space among ASCII characters.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// ActionText puts a group-member action message into words.
func ActionText(m *chat.Message) string {
	e := m.Data.Entities
	by := entityName(e.By, m.Sender)
	on := entityName(e.On, "someone")
	switch m.Data.Action {
	case chat.ActionJoined:
		return by + " joined"
	case chat.ActionLeft:
		return by + " left"
	case chat.ActionKicked:
		return by + " kicked " + on
	case chat.ActionBanned:
		return by + " banned " + on
	case chat.ActionUnbanned:
		return by + " unbanned " + on
	case chat.ActionAdded:
		return by + " added " + on
	case chat.ActionScopeChanged:
		if x := m.Data.Extras; x != nil && x.Scope != nil {
			return by + " made " + on + " " + article(string(x.Scope.New))
		}
		return by + " changed the scope of " + on
	case chat.ActionEdited:
		return by + " edited a message"
	case chat.ActionDeleted:
		return by + " deleted a message"
	}
	return m.Data.Action
}

func article(scope string) string {
	if scope == string(chat.ScopeAdmin) {
		return "an admin"
	}
	return "a " + scope
}

func entityName(e *chat.Entity, fallback string) string {
	if e == nil {
		return fallback
	}
	switch {
	case e.User != nil:
		return displayName(e.User, e.User.UID)
	case e.Group != nil:
		return e.Group.Name
	}
	return fallback
}

func displayName(u *chat.User, fallback string) string {
	if u != nil && u.Name != "" {
		return u.Name
	}
	return fallback
}

// RelativeTime is a compact age: now, 5m, 3h, 2d, then a date.
func RelativeTime(now time.Time, unix int64, loc *time.Location) string {
	if unix == 0 {
		return ""
	}
	t := time.Unix(unix, 0)
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	t = t.In(loc)
	if t.Year() == now.In(loc).Year() {
		return t.Format("Jan 2")
	}
	return t.Format("2006")
}
