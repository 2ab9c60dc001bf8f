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

	// The store finds the message and checks that the reader may see it
	// (a party of the 1:1 chat, a member of the group); a receipt on the
	// reader's own message changes nothing.
	now := h.opts.Now().Unix()
	res, err := h.dir.Receipt(ctx, c.uid, body.MessageID, typ, now)
	if err != nil {
		if chat.HasCode(err, chat.ErrMessageIDNotFound) || chat.HasCode(err, chat.ErrMessageNoAccess) {
			c.warn("receipt for a message the reader cannot see", f, err)
		} else {
			c.warn("receipt not stored", f, err)
		}
		return
	}
	m := res.Message
	if m.Sender == c.uid {
		c.warn("receipt for the reader's own message", f, nil)
		return
	}
	if !res.New {
		return
	}
	if m.ReceiverType == chat.ReceiverGroup && res.Members > h.opts.ReceiptMemberLimit {
		return
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

// receiptReceiver addresses a receipt as the SDK does: in a 1:1 chat the
// other party (the message's sender), in a group the guid.
func receiptReceiver(m chat.Message) string {
	if m.ReceiverType == chat.ReceiverGroup {
		return m.Receiver
	}
	return m.Sender
}
