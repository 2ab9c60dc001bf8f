package realtime

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// handle dispatches one inbound text frame of an authenticated socket.
// Malformed JSON closes the socket; anything else that is wrong is
// dropped with a warning and changes nothing.
func (c *conn) handle(data []byte) {
	var f wire.Frame
	if err := json.Unmarshal(data, &f); err != nil {
		c.hub.log.Warn("websocket: malformed frame", "uid", c.uid, "device", c.device, "err", err)
		c.kill(websocket.StatusInvalidFramePayloadData, "malformed JSON")
		return
	}
	switch f.Type {
	case "":
		switch f.Action {
		case wire.ActionPing:
			c.send(pongFrame)
		case wire.ActionPong:
		default:
			c.warn("frame without type", f, nil)
		}
	case wire.TypeTyping:
		c.onTyping(f)
	case wire.TypeReceipts:
		c.onReceipt(f)
	case wire.TypeTransient:
		c.onTransient(f)
	case wire.TypeAuth:
		c.warn("repeated auth on an authenticated socket", f, nil)
	default:
		c.warn("unsupported frame type", f, nil)
	}
}

// warn logs a dropped inbound frame.
func (c *conn) warn(why string, f wire.Frame, err error) {
	args := []any{"uid", c.uid, "device", c.device, "type", f.Type,
		"receiver", f.Receiver, "receiverType", f.ReceiverType}
	if err != nil {
		args = append(args, "err", err)
	}
	c.hub.log.Warn("websocket: frame dropped: "+why, args...)
}

// target resolves a frame's receiver to the uids it reaches, sender
// excluded. A group target requires the sender to be a member.
func (c *conn) target(ctx context.Context, f wire.Frame) (chat.ReceiverType, []string, string) {
	rt, ok := chat.ParseReceiverType(f.ReceiverType)
	if !ok || f.Receiver == "" {
		return "", nil, "missing or invalid receiver"
	}
	if rt == chat.ReceiverUser {
		if f.Receiver == c.uid {
			return "", nil, "receiver is the sender"
		}
		return rt, []string{f.Receiver}, ""
	}
	if _, err := c.hub.dir.Member(ctx, f.Receiver, c.uid); err != nil {
		return "", nil, "sender is not a member of the group"
	}
	uids, err := c.hub.dir.MemberUIDs(ctx, f.Receiver)
	if err != nil {
		return "", nil, "group members unavailable"
	}
	return rt, without(uids, c.uid), ""
}

// me returns the sender as the directory knows them now (a client cannot
// speak for someone else, and names change after login); the user of the
// auth time if the lookup fails.
func (c *conn) me(ctx context.Context) chat.User {
	u, err := c.hub.dir.User(ctx, c.uid, false)
	if err != nil {
		c.hub.log.Warn("websocket: sender lookup failed", "uid", c.uid, "err", err)
		return c.user
	}
	return u
}
