package realtime

import (
	"encoding/json"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// onTyping relays started/ended to the peer or to every other member of
// the group. Groups with more online members than TypingMemberLimit get
// none, as on CometChat.
func (c *conn) onTyping(f wire.Frame) {
	var body wire.TypingBody
	if err := json.Unmarshal(f.Body, &body); err != nil {
		c.warn("malformed typing body", f, err)
		return
	}
	if body.Action != wire.TypingStarted && body.Action != wire.TypingEnded {
		c.warn("unknown typing action "+body.Action, f, nil)
		return
	}
	ctx, cancel := c.dirCtx()
	defer cancel()
	rt, uids, why := c.target(ctx, f)
	if why != "" {
		c.warn(why, f, nil)
		return
	}
	h := c.hub
	if rt == chat.ReceiverGroup && h.onlineCount(uids) > h.opts.TypingMemberLimit {
		return
	}
	me := c.me(ctx)
	frame, err := encode(wire.Frame{
		AppID: h.opts.AppID, Receiver: f.Receiver, ReceiverType: string(rt),
		DeviceID: c.device, Type: wire.TypeTyping, Sender: c.uid,
	}, wire.TypingBody{Action: body.Action, User: &me, Metadata: body.Metadata})
	if err != nil {
		h.log.Error("websocket: typing", "err", err)
		return
	}
	h.deliver(uids, frame, c)
}
