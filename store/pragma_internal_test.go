package store

import (
	"context"
	"testing"
)

func TestPragmasOnBothPools(t *testing.T) {
	d := openInternal(t)
	ctx := context.Background()
	for name, pool := range map[string]querier{"writer": d.w, "reader": d.r} {
		var mode string
		var fk, sync, busy, version int
		if err := pool.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		pool.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		pool.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
		pool.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy)
		pool.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version)
		if mode != "wal" || fk != 1 || sync != 1 || busy != 5000 || version != len(migrations)-1 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d user_version=%d",
				name, mode, fk, sync, busy, version)
		}
	}
}

func TestFTSQueryShape(t *testing.T) {
	cases := map[string]string{
		"hello world":  `"hello"* "world"*`,
		`say "hi"`:     `"say"* """hi"""*`,
		"AND OR NEAR(": `"AND"* "OR"* "NEAR("*`,
		"* ** ( )":     ``,
		"a\x00b":       `"a"* "b"*`,
		"\xff\xfeok":   `"ok"*`,
		"":             ``,
		"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17": `"1"* "2"* "3"* "4"* "5"* "6"* "7"* "8"* "9"* "10"* "11"* "12"* "13"* "14"* "15"* "16"*`,
	}
	for in, want := range cases {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
