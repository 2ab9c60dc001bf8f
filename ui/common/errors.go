package common

import (
	"context"
	"errors"

	"cometterm/chat"
)

// ErrorText puts an error into plain words for the screen: the server's
// own message for CometChat errors, the error text otherwise.
func ErrorText(err error) string {
	var ce *chat.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ce) && ce.Message != "":
		return ce.Message
	case errors.Is(err, context.DeadlineExceeded):
		return "the server did not answer in time"
	}
	return err.Error()
}
