package composer

import (
	"regexp"
	"slices"
	"strings"
)

// Mentions: while typing, the composer shows "@Name" (readable); on send
// every "@Name" picked from the popup becomes CometChat's "<@uid:UID>"
// token, which other clients render back as a mention. A "@Name" typed by
// hand without the popup stays plain text.

// encodeMentions replaces the picked "@Name"s with tokens, longest name
// first so that "@Tony Stark" wins over "@Tony".
func encodeMentions(text string, picked map[string]string) string {
	names := make([]string, 0, len(picked))
	for name := range picked {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	for _, name := range names {
		text = strings.ReplaceAll(text, name, "<@uid:"+picked[name]+">")
	}
	return text
}

// emoji is a small table of the shortcodes people type most.
var emoji = map[string]string{
	"+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "heart": "❤️",
	"smile": "😄", "grin": "😁", "joy": "😂", "laughing": "😆", "wink": "😉",
	"cry": "😢", "sob": "😭", "thinking": "🤔", "eyes": "👀", "fire": "🔥",
	"tada": "🎉", "rocket": "🚀", "clap": "👏", "pray": "🙏", "ok_hand": "👌",
	"wave": "👋", "100": "💯", "check": "✅", "x": "❌", "warning": "⚠️",
	"star": "⭐", "sparkles": "✨", "coffee": "☕", "beer": "🍺", "spider": "🕷️",
	"shield": "🛡️", "zap": "⚡", "sunglasses": "😎", "scream": "😱", "rofl": "🤣",
}

var shortcode = regexp.MustCompile(`:([a-z0-9_+\-]+):`)

// expandEmoji turns known :shortcodes: into emoji and leaves others alone.
func expandEmoji(text string) string {
	if !strings.Contains(text, ":") {
		return text
	}
	return shortcode.ReplaceAllStringFunc(text, func(s string) string {
		if e, ok := emoji[s[1:len(s)-1]]; ok {
			return e
		}
		return s
	})
}

// Emoji resolves a reaction argument: a shortcode (with or without
// colons) or the emoji itself.
func Emoji(s string) string {
	if e, ok := emoji[strings.Trim(s, ":")]; ok {
		return e
	}
	return s
}
