package store_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"cometterm/chat"
	"cometterm/store"
)

func searchFixture(t testing.TB) *store.DB {
	t.Helper()
	db := newDB(t)
	mustUser(t, db, "alice", "Alice")
	mustUser(t, db, "bob", "Bob")
	for i, body := range []string{
		"the quick brown fox",
		"héllo wörld",
		"say \"quoted\" words",
		"AND OR NOT are words here",
		"日本語のテキスト",
		"emoji 🎉 party",
	} {
		mustSend(t, db, text("alice", "bob", chat.ReceiverUser, body, t0+int64(i)))
	}
	return db
}

func TestSearch(t *testing.T) {
	db := searchFixture(t)
	ctx := context.Background()
	cases := map[string][]string{
		"quick":        {"the quick brown fox"},
		"qui":          {"the quick brown fox"}, // prefix
		"fox quick":    {"the quick brown fox"}, // all terms, any order
		"fox cat":      nil,
		"hello":        {"héllo wörld"}, // diacritics folded
		`"quoted"`:     {"say \"quoted\" words"},
		"AND":          {"AND OR NOT are words here"},
		"NOT words":    {"AND OR NOT are words here"},
		"日本語のテキスト":     {"日本語のテキスト"},
		"party 🎉":      {"emoji 🎉 party"},
		"*":            nil,
		`AND OR NEAR(`: nil,
	}
	for key, want := range cases {
		ms, err := db.ListMessages(ctx, chat.MessageQuery{Asker: "bob", SearchKey: key})
		if err != nil {
			t.Errorf("search %q: %v", key, err)
			continue
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Data.Text)
		}
		if len(got) != len(want) {
			t.Errorf("search %q: got %q, want %q", key, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("search %q: got %q, want %q", key, got, want)
			}
		}
	}
}

func TestSearchHostileInput(t *testing.T) {
	db := searchFixture(t)
	ctx := context.Background()
	for _, key := range []string{
		`"`, `""`, `"""`, `*`, `**`, `"*`, `AND OR NEAR(`, `NEAR(a b, 2)`, `a OR`, `(`, `)`, `)(`,
		`col:value`, `text:quick`, `-quick`, `+quick`, `^quick`, `{text}: quick`, `quick*"`, "\x00", "a\x00b",
		"\xff\xfe", "\u0301", "\u200b", "a\u200bb", "\t\n", `\`, `'`, `';DROP TABLE messages;--`, "%", "_",
	} {
		if _, err := db.ListMessages(ctx, chat.MessageQuery{SearchKey: key}); err != nil {
			t.Errorf("search %q: %v", key, err)
		}
	}
}

// FuzzSearchKey checks that no search input reaches SQLite as a malformed
// FTS5 query.
func FuzzSearchKey(f *testing.F) {
	for _, s := range []string{"quick", `"`, `AND OR NEAR(`, "*", "日本", "🎉", "a\x00b", "\xff"} {
		f.Add(s)
	}
	db := searchFixture(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, key string) {
		ms, err := db.ListMessages(ctx, chat.MessageQuery{SearchKey: key, Limit: 10})
		if err != nil {
			t.Fatalf("search %q: %v", key, err)
		}
		for _, m := range ms {
			if !utf8.ValidString(m.Data.Text) {
				t.Fatalf("search %q returned invalid text", key)
			}
		}
	})
}
