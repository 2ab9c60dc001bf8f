package realtime

import (
	"encoding/json"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// onReceipt stores a delivered/read mark and relays it to every device of
// the message's sender and to the reader's other devices (so they clear
// their unread count). In groups, the receipt that completes delivery or
// reading for every member also yields deliveredToAll/readByAll for the
// sender. Groups over ReceiptMemberLimit members store but do not relay.
func (c *conn) onReceipt(f wire.Frame) {
	var body wire.ReceiptBody
	if err := json.Unmarshal(f.Body, &body); err != nil {
		c.warn("malformed receipt body", f, err)
		return
	}
	var typ chat.ReceiptType
	switch body.Action {
	case string(chat.ReceiptDelivered):
		typ = chat.ReceiptDelivered
	case string(chat.ReceiptRead):
		typ = chat.ReceiptRead
	default:
		c.warn("unknown receipt action "+body.Action, f, nil)
		return
	}
	if body.MessageID <= 0 {
		c.warn("receipt without messageId", f, nil)
		return
	}
	h := c.hub
	ctx, cancel := c.dirCtx()
	defer cancel()

	m, err := h.dir.Message(ctx, body.MessageID, c.uid)
	if err != nil {
		c.warn("receipt for a message the reader cannot see", f, err)
		return
	}
	if why := c.mayMark(m); why != "" {
		c.warn(why, f, nil)
		return
	}
	now := h.opts.Now().Unix()
	res, err := h.dir.Receipt(ctx, c.uid, m.ID, typ, now)
	if err != nil {
		c.warn("receipt not stored", f, err)
		return
	}
	if !res.New {
		return
	}
	if m.ReceiverType == chat.ReceiverGroup {
		g, err := h.dir.Group(ctx, m.Receiver, c.uid)
		if err != nil {
			c.warn("receipt group unavailable", f, err)
			return
		}
		if g.MembersCount > h.opts.ReceiptMemberLimit {
			return
		}
	}

	me := c.me(ctx)
	env := wire.Frame{
		AppID: h.opts.AppID, Receiver: receiptReceiver(m), ReceiverType: string(m.ReceiverType),
		DeviceID: c.device, Type: wire.TypeReceipts, Sender: c.uid, MessageSender: m.Sender,
	}
	frame, err := encode(env, wire.ReceiptBody{Action: string(typ), MessageID: m.ID, User: &me, Timestamp: now})
	if err != nil {
		h.log.Error("websocket: receipt", "err", err)
		return
	}
	h.deliver(unique([]string{m.Sender, c.uid}), frame, c)

	if m.ReceiverType != chat.ReceiverGroup || !res.All {
		return
	}
	all := chat.ReceiptDeliveredToAll
	if typ == chat.ReceiptRead {
		all = chat.ReceiptReadByAll
	}
	frame, err = encode(env, wire.ReceiptBody{Action: string(all), MessageID: m.ID, User: &me, Timestamp: now})
	if err != nil {
		h.log.Error("websocket: receipt", "err", err)
		return
	}
	h.deliver([]string{m.Sender}, frame, nil)
}

// mayMark says why the reader may not mark m, or "" if they may: only a
// recipient marks, in a 1:1 chat the receiver and in a group a member.
func (c *conn) mayMark(m chat.Message) string {
	if m.Sender == c.uid {
		return "receipt for the reader's own message"
	}
	switch m.ReceiverType {
	case chat.ReceiverUser:
		if m.Receiver != c.uid {
			return "receipt for a message addressed to someone else"
		}
	case chat.ReceiverGroup:
		ctx, cancel := c.dirCtx()
		defer cancel()
		if _, err := c.hub.dir.Member(ctx, m.Receiver, c.uid); err != nil {
			return "receipt for a group the reader is not in"
		}
	default:
		return "receipt for a message without receiver type"
	}
	return ""
}

// receiptReceiver addresses a receipt as the SDK does: in a 1:1 chat the
// other party (the message's sender), in a group the guid.
func receiptReceiver(m chat.Message) string {
	if m.ReceiverType == chat.ReceiverGroup {
		return m.Receiver
	}
	return m.Sender
}
