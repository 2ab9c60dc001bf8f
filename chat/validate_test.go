package chat

import (
	"strings"
	"testing"
)

func TestNormalizeID(t *testing.T) {
	ok := map[string]string{"SuperHero1": "superhero1", "a-b_c": "a-b_c", " x ": "x", strings.Repeat("a", 100): strings.Repeat("a", 100)}
	for in, want := range ok {
		got, err := NormalizeID("uid", in)
		if err != nil || got != want {
			t.Errorf("NormalizeID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "  ", "a b", "a.b", "émile", "x/y", strings.Repeat("a", 101), "a@b"} {
		if _, err := NormalizeID("uid", bad); CodeOf(err) != ErrBadRequest {
			t.Errorf("NormalizeID(%q) err = %v, want ERR_BAD_REQUEST", bad, err)
		}
	}
}

func TestLimits(t *testing.T) {
	checks := []struct {
		name string
		err  error
		ok   bool
	}{
		{"name 100", ValidateName("name", strings.Repeat("é", 100), true), true},
		{"name 101", ValidateName("name", strings.Repeat("é", 101), true), false},
		{"name required", ValidateName("name", " ", true), false},
		{"name optional", ValidateName("name", "", false), true},
		{"description 255", ValidateDescription(strings.Repeat("d", 255)), true},
		{"description 256", ValidateDescription(strings.Repeat("d", 256)), false},
		{"url", ValidateURL("avatar", "https://example.com/a.png"), true},
		{"url relative", ValidateURL("avatar", "/a.png"), false},
		{"url long", ValidateURL("avatar", "https://e.com/"+strings.Repeat("a", 3000)), false},
		{"metadata small", ValidateMetadata("metadata", map[string]any{"k": "v"}), true},
		{"metadata 5KB", ValidateMetadata("metadata", map[string]any{"k": strings.Repeat("v", 5*1024)}), false},
		{"tags 25", ValidateTags(make25("t")), true},
		{"tags 26", ValidateTags(append(make25("t"), "x")), false},
		{"tag 101", ValidateTags([]string{strings.Repeat("t", 101)}), false},
		{"reaction", ValidateReaction("👍"), true},
		{"reaction 46", ValidateReaction(strings.Repeat("a", 46)), false},
	}
	for _, c := range checks {
		if (c.err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok=%v", c.name, c.err, c.ok)
		}
	}
}

func make25(p string) []string {
	out := make([]string, 25)
	for i := range out {
		out[i] = p
	}
	return out
}

func TestValidateMessageData(t *testing.T) {
	img := []Attachment{{URL: "https://e.com/a.png", Name: "a.png", MimeType: "image/png"}}
	var mentions strings.Builder
	for i := range 11 {
		mentions.WriteString("<@uid:u" + string(rune('a'+i)) + "> ")
	}
	cases := []struct {
		name string
		cat  Category
		typ  string
		d    MessageData
		want string
	}{
		{"text", CategoryMessage, TypeText, MessageData{Text: "hi"}, ""},
		{"empty text", CategoryMessage, TypeText, MessageData{Text: "  "}, ErrEmptyMessageText},
		{"long text", CategoryMessage, TypeText, MessageData{Text: strings.Repeat("a", MaxTextLen+1)}, ErrBadRequest},
		{"max text", CategoryMessage, TypeText, MessageData{Text: strings.Repeat("a", MaxTextLen)}, ""},
		{"image", CategoryMessage, TypeImage, MessageData{Attachments: img}, ""},
		{"image without file", CategoryMessage, TypeImage, MessageData{}, ErrBadRequest},
		{"bad attachment url", CategoryMessage, TypeFile, MessageData{Attachments: []Attachment{{URL: "nope"}}}, ErrBadRequest},
		{"unknown type", CategoryMessage, "sticker", MessageData{Text: "x"}, ErrBadRequest},
		{"custom", CategoryCustom, "location", MessageData{CustomData: map[string]any{"lat": 1.5}}, ""},
		{"custom no type", CategoryCustom, "", MessageData{}, ErrBadRequest},
		{"action not sendable", CategoryAction, "groupMember", MessageData{}, ErrBadRequest},
		{"data over 10KB", CategoryCustom, "blob", MessageData{CustomData: map[string]any{"b": strings.Repeat("x", 11*1024)}}, ErrBadRequest},
		{"11 mentions", CategoryMessage, TypeText, MessageData{Text: mentions.String()}, ErrBadRequest},
	}
	for _, c := range cases {
		if got := CodeOf(ValidateMessageData(c.cat, c.typ, c.d)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestMentionedUIDs(t *testing.T) {
	got := MentionedUIDs("hey <@uid:cap> and <@uid:{spidey}>, <@uid:cap> again <@uid:")
	if strings.Join(got, ",") != "cap,spidey" {
		t.Fatalf("got %v", got)
	}
}

func FuzzMentionedUIDs(f *testing.F) {
	f.Add("hello <@uid:a> <@uid:b>")
	f.Add("<@uid:<@uid:>>")
	f.Fuzz(func(t *testing.T, s string) {
		for _, uid := range MentionedUIDs(s) {
			if uid == "" || strings.Contains(uid, ">") {
				t.Fatalf("bad uid %q from %q", uid, s)
			}
		}
	})
}

func TestConversationIDs(t *testing.T) {
	if got := UserConversationID("superhero2", "superhero1"); got != "superhero1_user_superhero2" {
		t.Fatalf("got %q", got)
	}
	if UserConversationID("a", "b") != UserConversationID("b", "a") {
		t.Fatal("conversation id depends on order")
	}
	peer, rt, ok := SplitConversationID("superhero1_user_superhero2", "superhero2")
	if !ok || peer != "superhero1" || rt != ReceiverUser {
		t.Fatalf("split user: %q %q %v", peer, rt, ok)
	}
	guid, rt, ok := SplitConversationID("group_avengers", "x")
	if !ok || guid != "avengers" || rt != ReceiverGroup {
		t.Fatalf("split group: %q %q %v", guid, rt, ok)
	}
	if _, _, ok := SplitConversationID("a_user_b", "c"); ok {
		t.Fatal("split should fail when I am not in the conversation")
	}
	if _, _, ok := SplitConversationID("garbage", "c"); ok {
		t.Fatal("split should fail on garbage")
	}
}
