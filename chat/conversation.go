package chat

import "strings"

// UserConversationID is the id of the 1:1 conversation between two users:
// "<uidA>_user_<uidB>" with the uids in ascending order.
func UserConversationID(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "_user_" + b
}

// GroupConversationID is the id of a group's conversation: "group_<guid>".
func GroupConversationID(guid string) string { return "group_" + guid }

// ConversationIDFor returns the conversation a message from sender to
// receiver of the given type belongs to.
func ConversationIDFor(sender, receiver string, rt ReceiverType) string {
	if rt == ReceiverGroup {
		return GroupConversationID(receiver)
	}
	return UserConversationID(sender, receiver)
}

// SplitConversationID reverses the two functions above. For a 1:1
// conversation it returns the uid that is not me as the peer.
func SplitConversationID(id, me string) (peer string, rt ReceiverType, ok bool) {
	if guid, found := strings.CutPrefix(id, "group_"); found && guid != "" {
		return guid, ReceiverGroup, true
	}
	a, b, found := strings.Cut(id, "_user_")
	if !found || a == "" || b == "" {
		return "", "", false
	}
	switch me {
	case a:
		return b, ReceiverUser, true
	case b:
		return a, ReceiverUser, true
	}
	return "", "", false
}
