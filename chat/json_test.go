package chat

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestIDAndCountJSON(t *testing.T) {
	b, _ := json.Marshal(struct {
		ID ID    `json:"id"`
		C  Count `json:"c"`
	}{42, 3})
	if string(b) != `{"id":"42","c":"3"}` {
		t.Fatalf("marshal = %s", b)
	}
	for _, in := range []string{`"42"`, `42`, `42.0`} {
		var id ID
		if err := json.Unmarshal([]byte(in), &id); err != nil || id != 42 {
			t.Errorf("unmarshal %s = %d, %v", in, id, err)
		}
	}
	for _, in := range []string{`""`, `null`} {
		var id ID = 7
		if err := json.Unmarshal([]byte(in), &id); err != nil || id != 0 {
			t.Errorf("unmarshal %s = %d, %v", in, id, err)
		}
	}
	for _, in := range []string{`"x"`, `true`, `{}`} {
		var id ID
		if err := json.Unmarshal([]byte(in), &id); err == nil {
			t.Errorf("unmarshal %s accepted", in)
		}
	}
	if _, err := ParseID("0"); err == nil {
		t.Error("ParseID(0) accepted")
	}
}

func TestMessageEntitiesRoundTrip(t *testing.T) {
	m := Message{
		ID: 9, ConversationID: "group_g", Sender: "a", Receiver: "g", ReceiverType: ReceiverGroup,
		Category: CategoryAction, Type: TypeGroupMember, SentAt: 100,
		Data: MessageData{
			Action: ActionScopeChanged,
			Extras: &ActionExtras{Scope: &ScopeChange{New: ScopeModerator, Old: ScopeParticipant}},
			Entities: Entities{
				By:  UserEntity(User{UID: "a", Name: "A"}),
				On:  UserEntity(User{UID: "b", Name: "B"}),
				For: GroupEntity(Group{GUID: "g", Name: "G", Type: GroupPublic}),
			},
		},
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"id":"9"`, `"entityType":"user"`, `"entityType":"group"`, `"extras":{"scope":{"new":"moderator","old":"participant"}}`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s in %s", want, s)
		}
	}
	var back Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Data.Entities.On.User.UID != "b" || back.Data.Entities.For.Group.GUID != "g" || back.Data.Extras.Scope.New != ScopeModerator {
		t.Fatalf("round trip lost entities: %+v", back.Data.Entities)
	}
	edited := Message{ID: 10, Category: CategoryAction, Type: TypeMessage,
		Data: MessageData{Action: ActionEdited, Entities: Entities{On: MessageEntity(Message{ID: 3, EditedAt: 5})}}}
	b, _ = json.Marshal(edited)
	var e2 Message
	if err := json.Unmarshal(b, &e2); err != nil || e2.Data.Entities.On.Message.ID != 3 {
		t.Fatalf("message entity: %v %+v", err, e2.Data.Entities.On)
	}
	var bad Entity
	if err := json.Unmarshal([]byte(`{"entity":{},"entityType":"planet"}`), &bad); err == nil {
		t.Fatal("unknown entityType accepted")
	}
}

func TestConversationWithJSON(t *testing.T) {
	c := Conversation{ConversationID: "group_g", ConversationType: ReceiverGroup, UnreadMessageCount: 2,
		WithGroup: &Group{GUID: "g", Name: "G", Type: GroupPassword}}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"conversationWith":{"guid":"g"`) || !strings.Contains(string(b), `"unreadMessageCount":"2"`) {
		t.Fatalf("json = %s", b)
	}
	var back Conversation
	if err := json.Unmarshal(b, &back); err != nil || back.WithGroup == nil || back.WithGroup.GUID != "g" || back.UnreadMessageCount != 2 {
		t.Fatalf("back = %+v, %v", back, err)
	}
	u := `{"conversationId":"a_user_b","conversationType":"user","unreadMessageCount":5,"conversationWith":{"uid":"b","name":"B"}}`
	var cu Conversation
	if err := json.Unmarshal([]byte(u), &cu); err != nil || cu.WithUser == nil || cu.WithUser.Name != "B" || cu.UnreadMessageCount != 5 {
		t.Fatalf("user conversation = %+v, %v", cu, err)
	}
}

func FuzzMessageJSON(f *testing.F) {
	f.Add(`{"id":"1","category":"message","type":"text","data":{"text":"hi","entities":{"sender":{"entity":{"uid":"a","name":"A"},"entityType":"user"}}}}`)
	f.Add(`{"id":2,"data":{"entities":{"on":{"entity":{"id":"3"},"entityType":"message"}}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		var m Message
		if json.Unmarshal([]byte(s), &m) != nil {
			return
		}
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("re-marshal of accepted input failed: %v", err)
		}
	})
}
