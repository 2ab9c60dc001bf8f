package chat

import (
	"errors"
	"fmt"
)

// Error codes clients branch on. The names and meanings are CometChat's.
const (
	ErrBadRequest              = "ERR_BAD_REQUEST"
	ErrAPINotFound             = "ERR_API_NOT_FOUND"
	ErrTooManyRequests         = "ERR_TOO_MANY_REQUESTS"
	ErrAPIKeyNotFound          = "AUTH_ERR_APIKEY_NOT_FOUND"
	ErrNoAccess                = "AUTH_ERR_NO_ACCESS"
	ErrAuthTokenNotFound       = "AUTH_ERR_AUTH_TOKEN_NOT_FOUND"
	ErrAuthTokenNotFoundUser   = "ERR_AUTH_TOKEN_NOT_FOUND"
	ErrAppIDMismatch           = "AUTH_ERR_APP_ID_MISMATCH"
	ErrUIDNotFound             = "ERR_UID_NOT_FOUND"
	ErrUIDAlreadyExists        = "ERR_UID_ALREADY_EXISTS"
	ErrGUIDNotFound            = "ERR_GUID_NOT_FOUND"
	ErrGUIDAlreadyExists       = "ERR_GUID_ALREADY_EXISTS"
	ErrEmptyGroupPass          = "ERR_EMPTY_GROUP_PASS"
	ErrWrongGroupPass          = "ERR_WRONG_GROUP_PASS"
	ErrNotAMember              = "ERR_NOT_A_MEMBER"
	ErrAlreadyJoined           = "ERR_ALREADY_JOINED"
	ErrGroupNotJoined          = "ERR_GROUP_NOT_JOINED"
	ErrGroupJoinNotAllowed     = "ERR_GROUP_JOIN_NOT_ALLOWED"
	ErrSameScope               = "ERR_SAME_SCOPE"
	ErrAlreadyBanned           = "ERR_ALREADY_BANNED"
	ErrBannedGroupMember       = "ERR_BANNED_GROUPMEMBER"
	ErrNotBanned               = "ERR_NOT_BANNED"
	ErrGroupNoClearance        = "ERR_GROUP_NO_CLEARANCE"
	ErrInvalidReceiverType     = "ERR_INVALID_RECEIVER_TYPE"
	ErrConversationNotAccess   = "ERR_CONVERSATION_NOT_ACCESSIBLE"
	ErrMessageIDNotFound       = "ERR_MESSAGE_ID_NOT_FOUND"
	ErrEmptyMessageText        = "ERR_EMPTY_MESSAGE_TEXT"
	ErrMessageNotASender       = "ERR_MESSAGE_NOT_A_SENDER"
	ErrMessageNoAccess         = "ERR_MESSAGE_NO_ACCESS"
	ErrMessageActionNotAllowed = "ERR_MESSAGE_ACTION_NOT_ALLOWED"
	ErrMessageThreadNesting    = "ERR_MESSAGE_THREAD_NESTING"
	ErrAlreadyFriend           = "ERR_ALREADY_FRIEND"
	ErrBlockedReceiver         = "ERR_BLOCKED_RECEIVER"
	ErrReactionNotFound        = "ERR_REACTION_NOT_FOUND"
	ErrTooManyReactions        = "ERR_TOO_MANY_REACTIONS"
	ErrInternal                = "ERR_INTERNAL"
)

// Error is a CometChat-style error: a stable code, a message for people, an
// optional developer message and per-field details.
type Error struct {
	Code       string              `json:"code"`
	Message    string              `json:"message"`
	DevMessage string              `json:"devMessage,omitempty"`
	Source     string              `json:"source,omitempty"`
	Details    map[string][]string `json:"details,omitempty"`
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// Is makes errors.Is(err, &Error{Code: X}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds an ERR_BAD_REQUEST naming the offending field.
func FieldError(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{
		Code:    ErrBadRequest,
		Message: "Failed to validate the data sent with the request.",
		Details: map[string][]string{field: {msg}},
	}
}

// CodeOf returns the CometChat code of err, or "" if err is not an *Error.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// HasCode reports whether err carries the given CometChat code.
func HasCode(err error, code string) bool { return err != nil && CodeOf(err) == code }
