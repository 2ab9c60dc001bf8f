package chat

import (
	"bytes"
	"fmt"
	json "github.com/segmentio/encoding/json"
	"strconv"
)

// ID is a message (or reaction) id. CometChat sends ids as JSON strings
// ("id":"42") but some bodies carry plain numbers, so both decode.
type ID int64

func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// MarshalJSON writes the id as a JSON string, as CometChat does.
func (id ID) MarshalJSON() ([]byte, error) {
	return []byte(`"` + id.String() + `"`), nil
}

// UnmarshalJSON accepts "42", 42, "" and null.
func (id *ID) UnmarshalJSON(b []byte) error {
	n, err := flexInt(b)
	if err != nil {
		return fmt.Errorf("id: %w", err)
	}
	*id = ID(n)
	return nil
}

// ParseID parses a decimal message id; it rejects zero and negatives.
func ParseID(s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid id %q", s)
	}
	return ID(n), nil
}

// Count is a counter that CometChat writes as a JSON string
// ("unreadMessageCount":"3"); both strings and numbers decode.
type Count int

func (c Count) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.Itoa(int(c)) + `"`), nil
}

func (c *Count) UnmarshalJSON(b []byte) error {
	n, err := flexInt(b)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	*c = Count(n)
	return nil
}

func flexInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return 0, nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		// The usual "42": no escapes to undo.
		if len(b) == 2 {
			return 0, nil
		}
		return strconv.ParseInt(string(b[1:len(b)-1]), 10, 64)
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n, nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
		return strconv.ParseInt(s, 10, 64)
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return 0, err
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil {
		return 0, err
	}
	return int64(f), nil
}

// Entity types.
const (
	EntityUser    = "user"
	EntityGroup   = "group"
	EntityMessage = "message"
)

// Entity is one of a user, a group or a message, tagged on the wire as
// {"entity":{…},"entityType":"user"|"group"|"message"}. Exactly one of the
// pointers is set.
type Entity struct {
	User    *User
	Group   *Group
	Message *Message
}

// UserEntity, GroupEntity and MessageEntity wrap a value as an Entity.
func UserEntity(u User) *Entity       { return &Entity{User: &u} }
func GroupEntity(g Group) *Entity     { return &Entity{Group: &g} }
func MessageEntity(m Message) *Entity { return &Entity{Message: &m} }
func (e *Entity) entityType() string {
	switch {
	case e.User != nil:
		return EntityUser
	case e.Group != nil:
		return EntityGroup
	case e.Message != nil:
		return EntityMessage
	}
	return ""
}

type entityWire struct {
	Entity     json.RawMessage `json:"entity"`
	EntityType string          `json:"entityType"`
}

func (e Entity) MarshalJSON() ([]byte, error) {
	var v any
	switch {
	case e.User != nil:
		v = e.User
	case e.Group != nil:
		v = e.Group
	case e.Message != nil:
		v = e.Message
	default:
		return []byte("null"), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(entityWire{Entity: raw, EntityType: e.entityType()})
}

func (e *Entity) UnmarshalJSON(b []byte) error {
	var w entityWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Entity{}
	if len(w.Entity) == 0 || bytes.Equal(w.Entity, []byte("null")) {
		return nil
	}
	switch w.EntityType {
	case EntityUser:
		e.User = new(User)
		return json.Unmarshal(w.Entity, e.User)
	case EntityGroup:
		e.Group = new(Group)
		return json.Unmarshal(w.Entity, e.Group)
	case EntityMessage:
		e.Message = new(Message)
		return json.Unmarshal(w.Entity, e.Message)
	}
	return fmt.Errorf("unknown entityType %q", w.EntityType)
}

// conversationAlias lets Conversation marshal its fields with the default
// encoder while the conversationWith union is handled by hand.
type conversationAlias Conversation

type conversationWire struct {
	conversationAlias
	ConversationWith json.RawMessage `json:"conversationWith,omitempty"`
}

func (c Conversation) MarshalJSON() ([]byte, error) {
	w := conversationWire{conversationAlias: conversationAlias(c)}
	var with any
	switch {
	case c.WithUser != nil:
		with = c.WithUser
	case c.WithGroup != nil:
		with = c.WithGroup
	}
	if with != nil {
		raw, err := json.Marshal(with)
		if err != nil {
			return nil, err
		}
		w.ConversationWith = raw
	}
	return json.Marshal(w)
}

func (c *Conversation) UnmarshalJSON(b []byte) error {
	var w conversationWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Conversation(w.conversationAlias)
	if len(w.ConversationWith) == 0 || bytes.Equal(w.ConversationWith, []byte("null")) {
		return nil
	}
	switch c.ConversationType {
	case ReceiverUser:
		c.WithUser = new(User)
		return json.Unmarshal(w.ConversationWith, c.WithUser)
	case ReceiverGroup:
		c.WithGroup = new(Group)
		return json.Unmarshal(w.ConversationWith, c.WithGroup)
	}
	return fmt.Errorf("unknown conversationType %q", c.ConversationType)
}
