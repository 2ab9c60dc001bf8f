package messages

import (
	"time"

	"cometterm/chat"
	"cometterm/ui/common"
)

// now is the fixed clock of every test: Thursday 26 Nov 2026, 10:30 UTC.
var now = time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)

func testCommon() *common.Common {
	return &common.Common{
		Theme: common.NewTheme(true, false),
		Now:   func() time.Time { return now },
		Me:    chat.User{UID: "superhero1", Name: "Iron Man"},
		Loc:   time.UTC,
	}
}

var users = map[string]chat.User{
	"superhero1": {UID: "superhero1", Name: "Iron Man"},
	"superhero2": {UID: "superhero2", Name: "Captain America"},
	"superhero3": {UID: "superhero3", Name: "Spiderman"},
	"superhero4": {UID: "superhero4", Name: "Wolverine"},
	"superhero5": {UID: "superhero5", Name: "Cyclops"},
}

// names are the users' display names, as the pane is given them.
var names = func() map[string]string {
	ns := make(map[string]string, len(users))
	for uid, u := range users {
		ns[uid] = u.Name
	}
	return ns
}()

const conv = "group_avengers"

// at is a time of the fixed day, h:m.
func at(h, m int) int64 { return time.Date(2026, 11, 26, h, m, 0, 0, time.UTC).Unix() }

func text(id chat.ID, from string, sent int64, s string) chat.Message {
	return chat.Message{
		ID: id, ConversationID: conv, Sender: from, Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryMessage, Type: chat.TypeText,
		Data: chat.MessageData{Text: s}, SentAt: sent,
	}
}

func act(id chat.ID, sent int64, action, by, on string, extras *chat.ActionExtras) chat.Message {
	m := chat.Message{
		ID: id, ConversationID: conv, Sender: by, Receiver: "avengers",
		ReceiverType: chat.ReceiverGroup, Category: chat.CategoryAction, Type: chat.TypeGroupMember,
		SentAt: sent,
	}
	m.Data.Action = action
	m.Data.Extras = extras
	m.Data.Entities.By = chat.UserEntity(users[by])
	m.Data.Entities.On = chat.UserEntity(users[on])
	return m
}

// showcase is one conversation with every kind of row the pane draws.
func showcase() []chat.Message {
	yesterday := at(18, 40) - 24*3600
	ms := []chat.Message{
		text(1001, "superhero4", yesterday, "night all"),
		text(1002, "superhero2", at(10, 2), "Morning team. Briefing at eleven."),
		text(1003, "superhero2", at(10, 2), "Bring the 🛡️ and coffee ☕"),
		text(1004, "superhero3", at(10, 3), "on my way! 🕷️"),
		act(1005, at(10, 4), chat.ActionScopeChanged, "superhero1", "superhero3",
			&chat.ActionExtras{Scope: &chat.ScopeChange{New: chat.ScopeModerator, Old: chat.ScopeParticipant}}),
		text(1006, "superhero1", at(10, 5), "Launch window confirmed."),
		act(1007, at(10, 5), chat.ActionJoined, "superhero5", "superhero5", nil),
		act(1008, at(10, 6), chat.ActionKicked, "superhero1", "superhero5", nil),
		text(1009, "superhero4", at(10, 6), "家族 👨‍👩‍👧‍👦 と 東京 — see https://example.com/plan?x=1 for <@uid:superhero3>"),
		text(1010, "superhero3", at(10, 7), "gone"),
		{ID: 1011, ConversationID: conv, Sender: "superhero2", Category: chat.CategoryMessage, Type: chat.TypeImage,
			SentAt: at(10, 8), Data: chat.MessageData{Attachments: []chat.Attachment{{
				URL: "https://cdn.example.com/shield.png", Name: "shield.png", MimeType: "image/png", Size: 20480}}}},
		{ID: 1012, ConversationID: conv, Sender: "superhero3", Category: chat.CategoryCustom, Type: "location",
			SentAt: at(10, 9), Data: chat.MessageData{CustomData: map[string]any{"lat": 40.7, "lon": -74}}},
		text(1013, "superhero1", at(10, 10), "copy that"),
		text(1014, "superhero1", at(10, 11), "and this"),
		text(1015, "superhero1", at(10, 20), "last one"),
	}
	ms[3].ReplyCount = 2
	ms[3].Data.Reactions = []chat.ReactionCount{{Reaction: "👍", Count: 3, ReactedByMe: true}, {Reaction: "❤️", Count: 1}}
	ms[5].EditedAt = at(10, 6)
	ms[5].DeliveredAt = at(10, 5)
	ms[5].ReadAt = at(10, 6)
	ms[9].DeletedAt = at(10, 8)
	ms[12].DeliveredAt = at(10, 10)
	return ms
}

func newPane(w, h int, msgs []chat.Message, hasMore bool) *Model {
	m := New(testCommon())
	m.SetNames(names)
	m.SetConversation(conv, chat.ReceiverGroup, "Avengers HQ", chat.ScopeAdmin)
	m.SetSize(w, h)
	m.SetMessages(msgs, hasMore)
	return m
}
