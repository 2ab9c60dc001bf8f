package common

import "cometterm/chat"

// Intents are messages a component returns (as a tea.Cmd producing them)
// to ask the root model for I/O. Components never call the network; the
// root turns an intent into a Cmd that calls the client and reports back.

// SendText asks to send text to a conversation, or to a thread when
// ParentID is set.
type SendText struct {
	ConversationID string
	Receiver       string
	ReceiverType   chat.ReceiverType
	Text           string
	ParentID       chat.ID
}

// EditMessage asks to replace a message's text.
type EditMessage struct {
	ID   chat.ID
	Text string
}

// DeleteMessage asks to delete a message.
type DeleteMessage struct{ ID chat.ID }

// React asks to add (or, with Remove, take back) a reaction.
type React struct {
	ID       chat.ID
	Reaction string
	Remove   bool
}

// OpenThread asks to open the thread view of a parent message.
type OpenThread struct{ Parent chat.Message }

// ShowMessageInfo asks for the delivered/read info of a message.
type ShowMessageInfo struct{ Message chat.Message }

// Copy asks to put text on the clipboard (OSC 52).
type Copy struct{ Text string }

// LoadOlder asks for the page of history before Before.
type LoadOlder struct {
	ConversationID string
	ParentID       chat.ID // thread view
	Before         chat.ID
}

// MemberAction asks to change scope, kick, ban or unban a member, or to add
// members (UIDs).
type MemberAction struct {
	GUID   string
	UID    string
	UIDs   []string
	Action chat.GroupAction
	Scope  chat.Scope
}

// ShowBanned asks for a group's banned list.
type ShowBanned struct{ GUID string }

// Typing reports that the user started or stopped typing in a
// conversation; the root sends the indicator.
type Typing struct {
	Receiver     string
	ReceiverType chat.ReceiverType
	Started      bool
}

// Command is a slash command the composer parsed (name without the slash).
type Command struct {
	Name string
	Args []string
	Raw  string
}

// Notice asks the root to show a short message in the status bar.
type Notice struct {
	Text  string
	Error bool
}
