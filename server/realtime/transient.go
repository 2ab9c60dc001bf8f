package realtime

import (
	"encoding/json"

	"cometterm/chat/wire"
)

// onTransient relays a transient message to the peer or the group, and to
// the sender's other devices. Nothing is stored.
func (c *conn) onTransient(f wire.Frame) {
	var body wire.TransientBody
	if err := json.Unmarshal(f.Body, &body); err != nil {
		c.warn("malformed transient body", f, err)
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
	me := c.me(ctx)
	frame, err := encode(wire.Frame{
		AppID: h.opts.AppID, Receiver: f.Receiver, ReceiverType: string(rt),
		DeviceID: c.device, Type: wire.TypeTransient, Sender: c.uid,
	}, wire.TransientBody{User: &me, Data: body.Data})
	if err != nil {
		h.log.Error("websocket: transient", "err", err)
		return
	}
	h.deliver(append(uids, c.uid), frame, c)
}
