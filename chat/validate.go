package chat

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits from CometChat's published properties and constraints.
const (
	MaxIDLen          = 100
	MaxNameLen        = 100
	MaxDescriptionLen = 255
	MaxPasswordLen    = 100
	MaxURLLen         = 3000
	MaxMetadataBytes  = 5 * 1024
	MaxTags           = 25
	MaxTagLen         = 100
	MaxTextLen        = 65536
	MaxDataBytes      = 10 * 1024
	MaxReactions      = 25
	MaxReactionLen    = 45
	MaxMentions       = 10
	MaxMembersPerCall = 25
	MaxAttachments    = 10

	// MaxConversationGroupMembers is the largest group whose members get
	// unread counts and conversation updates per message; receipts are
	// relayed up to the same size.
	MaxConversationGroupMembers = 300
)

// NormalizeID validates a UID, GUID or role id and returns it lowercased:
// at most 100 characters of a-z, 0-9, '-' and '_' (upper case is accepted
// and folded, as CometChat does on create).
func NormalizeID(field, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", FieldError(field, "The %s field is required.", field)
	}
	if len(id) > MaxIDLen {
		return "", FieldError(field, "The %s may not be greater than %d characters.", field, MaxIDLen)
	}
	lower := strings.ToLower(id)
	for _, r := range lower {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", FieldError(field, "The %s may only contain a-z, 0-9, '-' and '_'.", field)
		}
	}
	return lower, nil
}

// ValidateName checks a user or group display name.
func ValidateName(field, name string, required bool) error {
	if strings.TrimSpace(name) == "" {
		if required {
			return FieldError(field, "The %s field is required.", field)
		}
		return nil
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return FieldError(field, "The %s may not be greater than %d characters.", field, MaxNameLen)
	}
	return nil
}

// ValidateDescription checks a group description.
func ValidateDescription(d string) error {
	if utf8.RuneCountInString(d) > MaxDescriptionLen {
		return FieldError("description", "The description may not be greater than %d characters.", MaxDescriptionLen)
	}
	return nil
}

// ValidateURL checks an avatar, link, icon or attachment URL. Empty is fine.
func ValidateURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	if len(raw) > MaxURLLen {
		return FieldError(field, "The %s may not be greater than %d characters.", field, MaxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return FieldError(field, "The %s must be a valid URL.", field)
	}
	return nil
}

// ValidateMetadata checks the encoded size of user or group metadata.
func ValidateMetadata(field string, m map[string]any) error {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return FieldError(field, "The %s must be a JSON object.", field)
	}
	if len(b) > MaxMetadataBytes {
		return FieldError(field, "The %s may not be greater than %d bytes.", field, MaxMetadataBytes)
	}
	return nil
}

// ValidateTags checks a tag list: at most 25 tags of at most 100 characters.
func ValidateTags(tags []string) error {
	if len(tags) > MaxTags {
		return FieldError("tags", "At most %d tags are allowed.", MaxTags)
	}
	for _, t := range tags {
		if strings.TrimSpace(t) == "" {
			return FieldError("tags", "Tags may not be empty.")
		}
		if utf8.RuneCountInString(t) > MaxTagLen {
			return FieldError("tags", "A tag may not be greater than %d characters.", MaxTagLen)
		}
	}
	return nil
}

// ValidateReaction checks one reaction string.
func ValidateReaction(r string) error {
	if strings.TrimSpace(r) == "" {
		return FieldError("reaction", "The reaction field is required.")
	}
	if utf8.RuneCountInString(r) > MaxReactionLen {
		return FieldError("reaction", "A reaction may not be greater than %d characters.", MaxReactionLen)
	}
	return nil
}

// ValidateMessageData checks a chat message's payload for the given
// category and type: text present for text messages, attachment URLs valid,
// at most 10 mentions, and the encoded data within 10 KB (text counts
// against the 65,536-character message limit instead).
func ValidateMessageData(category Category, typ string, d MessageData) error {
	switch category {
	case CategoryMessage:
		switch typ {
		case TypeText:
			if strings.TrimSpace(d.Text) == "" {
				return &Error{Code: ErrEmptyMessageText, Message: "The message text may not be empty."}
			}
		case TypeImage, TypeVideo, TypeAudio, TypeFile:
			if len(d.Attachments) == 0 {
				return FieldError("data.attachments", "A %s message needs at least one attachment.", typ)
			}
		default:
			return FieldError("type", "The type %q is not valid for category message.", typ)
		}
	case CategoryCustom:
		if strings.TrimSpace(typ) == "" {
			return FieldError("type", "The type field is required.")
		}
	default:
		return FieldError("category", "The category must be message or custom.")
	}
	if utf8.RuneCountInString(d.Text) > MaxTextLen {
		return FieldError("data.text", "The text may not be greater than %d characters.", MaxTextLen)
	}
	if len(d.Attachments) > MaxAttachments {
		return FieldError("data.attachments", "At most %d attachments are allowed.", MaxAttachments)
	}
	for _, a := range d.Attachments {
		if a.URL == "" {
			return FieldError("data.attachments", "Every attachment needs a url.")
		}
		if err := ValidateURL("data.attachments.url", a.URL); err != nil {
			return err
		}
	}
	if n := len(MentionedUIDs(d.Text)); n > MaxMentions {
		return FieldError("data.text", "At most %d users may be mentioned.", MaxMentions)
	}
	rest := d
	rest.Text = ""
	b, err := json.Marshal(rest)
	if err != nil {
		return FieldError("data", "The data must be a JSON object.")
	}
	if len(b) > MaxDataBytes {
		return FieldError("data", "The data may not be greater than %d bytes.", MaxDataBytes)
	}
	return nil
}

// MentionedUIDs returns the distinct uids mentioned in text with CometChat's
// token <@uid:{uid}>, in order of first mention.
func MentionedUIDs(text string) []string {
	var out []string
	seen := map[string]bool{}
	for {
		i := strings.Index(text, "<@uid:")
		if i < 0 {
			return out
		}
		text = text[i+len("<@uid:"):]
		j := strings.IndexByte(text, '>')
		if j < 0 {
			return out
		}
		uid := strings.Trim(text[:j], "{}")
		text = text[j+1:]
		if uid != "" && !seen[uid] {
			seen[uid] = true
			out = append(out, uid)
		}
	}
}
