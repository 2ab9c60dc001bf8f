package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// statusByCode is the one place a CometChat error code becomes an HTTP
// status. CometChat does not publish the mapping; these follow meaning.
// The official SDK ignores the status and reads the body only.
var statusByCode = map[string]int{
	chat.ErrBadRequest:              http.StatusBadRequest,
	chat.ErrEmptyMessageText:        http.StatusBadRequest,
	chat.ErrEmptyGroupPass:          http.StatusBadRequest,
	chat.ErrInvalidReceiverType:     http.StatusBadRequest,
	chat.ErrMessageThreadNesting:    http.StatusBadRequest,
	chat.ErrSameScope:               http.StatusBadRequest,
	chat.ErrTooManyReactions:        http.StatusBadRequest,
	chat.ErrAPIKeyNotFound:          http.StatusUnauthorized,
	chat.ErrAuthTokenNotFound:       http.StatusUnauthorized,
	chat.ErrAppIDMismatch:           http.StatusUnauthorized,
	chat.ErrNoAccess:                http.StatusForbidden,
	chat.ErrWrongGroupPass:          http.StatusForbidden,
	chat.ErrNotAMember:              http.StatusForbidden,
	chat.ErrGroupNotJoined:          http.StatusForbidden,
	chat.ErrGroupJoinNotAllowed:     http.StatusForbidden,
	chat.ErrBannedGroupMember:       http.StatusForbidden,
	chat.ErrGroupNoClearance:        http.StatusForbidden,
	chat.ErrConversationNotAccess:   http.StatusForbidden,
	chat.ErrMessageNotASender:       http.StatusForbidden,
	chat.ErrMessageNoAccess:         http.StatusForbidden,
	chat.ErrMessageActionNotAllowed: http.StatusForbidden,
	chat.ErrBlockedReceiver:         http.StatusForbidden,
	chat.ErrAPINotFound:             http.StatusNotFound,
	chat.ErrAuthTokenNotFoundUser:   http.StatusNotFound,
	chat.ErrUIDNotFound:             http.StatusNotFound,
	chat.ErrGUIDNotFound:            http.StatusNotFound,
	chat.ErrMessageIDNotFound:       http.StatusNotFound,
	chat.ErrReactionNotFound:        http.StatusNotFound,
	chat.ErrNotBanned:               http.StatusNotFound,
	chat.ErrUIDAlreadyExists:        http.StatusConflict,
	chat.ErrGUIDAlreadyExists:       http.StatusConflict,
	chat.ErrAlreadyJoined:           http.StatusConflict,
	chat.ErrAlreadyBanned:           http.StatusConflict,
	chat.ErrAlreadyFriend:           http.StatusConflict,
	chat.ErrTooManyRequests:         http.StatusTooManyRequests,
	chat.ErrInternal:                http.StatusInternalServerError,
}

// KnownCode reports whether code is one this server answers with.
func KnownCode(code string) bool {
	_, ok := statusByCode[code]
	return ok
}

// reply is what a handler returns on success.
type reply struct {
	data any
	meta *wire.Meta
}

func ok(data any) reply { return reply{data: data} }

func success(msg string) reply {
	return reply{data: wire.Success{Success: true, Message: msg}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":{"code":"ERR_INTERNAL","message":"The response could not be encoded.","source":"chat-api"}}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeReply(w http.ResponseWriter, log *slog.Logger, rp reply) {
	data, err := json.Marshal(rp.data)
	if err != nil {
		writeError(w, log, fmt.Errorf("encode reply: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, wire.Envelope{Data: data, Meta: rp.meta})
}

// writeError answers with the CometChat error body. Errors that are not
// *chat.Error are internal: logged in full, reported without detail.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	var ce *chat.Error
	if !errors.As(err, &ce) {
		if log != nil {
			log.Error("internal error", "err", err)
		}
		ce = &chat.Error{Code: chat.ErrInternal, Message: "Something went wrong on the server."}
	}
	out := *ce
	out.Source = "chat-api"
	status, known := statusByCode[out.Code]
	if !known {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, wire.ErrorBody{Error: &out})
}
