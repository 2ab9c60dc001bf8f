package store

import (
	"strings"
	"unicode"
)

// maxSearchTerms bounds the work one search can ask of the index.
const maxSearchTerms = 16

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: every whitespace-separated word becomes a quoted prefix
// term ("word"*), so operators and punctuation are plain text, and words
// without a letter or digit (which the tokenizer would drop) are skipped.
// It returns "" when nothing searchable is left.
func ftsQuery(input string) string {
	input = strings.ToValidUTF8(input, " ")
	var terms []string
	for _, word := range strings.FieldsFunc(input, func(r rune) bool {
		return unicode.IsSpace(r) || r == 0 || unicode.IsControl(r)
	}) {
		if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(word, `"`, `""`)+`"*`)
		if len(terms) == maxSearchTerms {
			break
		}
	}
	return strings.Join(terms, " ")
}
