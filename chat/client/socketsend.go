package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/coder/websocket"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// writeFrame sends one frame on the live socket and reports it as
// FrameSent. It fails with ErrNotConnected when there is no socket.
func (c *Client) writeFrame(ctx context.Context, f wire.Frame, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s frame: %w", f.Type, err)
	}
	c.mu.Lock()
	conn := c.conn
	f.AppID, f.DeviceID, f.Sender = c.cfg.AppID, c.session, c.me.UID
	c.mu.Unlock()
	if conn == nil {
		return ErrNotConnected
	}
	f.Body = raw
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("%s frame: %w", f.Type, err)
	}
	if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("send %s frame: %w", f.Type, err)
	}
	c.emit(ctx.Done(), chat.FrameSent{EventMeta: chat.EventMeta{At: c.cfg.Now(), Dir: chat.Outbound, Raw: b, FrameType: f.Type}})
	return nil
}

// MarkDelivered tells m's sender it reached this user.
func (c *Client) MarkDelivered(ctx context.Context, m chat.Message) error {
	return c.receipt(ctx, m, chat.ReceiptDelivered)
}

// MarkRead tells m's sender this user read it (and everything before).
func (c *Client) MarkRead(ctx context.Context, m chat.Message) error {
	return c.receipt(ctx, m, chat.ReceiptRead)
}

// receipt addresses a receipt as the SDK does: to the group, or to the
// other party of a 1:1 conversation.
func (c *Client) receipt(ctx context.Context, m chat.Message, typ chat.ReceiptType) error {
	me := c.Me()
	receiver := m.Receiver
	if m.ReceiverType == chat.ReceiverUser && m.Receiver == me.UID {
		receiver = m.Sender
	}
	f := wire.Frame{Type: wire.TypeReceipts, Receiver: receiver, ReceiverType: string(m.ReceiverType), MessageSender: m.Sender}
	return c.writeFrame(ctx, f, wire.ReceiptBody{Action: string(typ), MessageID: m.ID, User: &me})
}

// StartTyping tells receiver this user is typing.
func (c *Client) StartTyping(ctx context.Context, receiver string, rt chat.ReceiverType) error {
	return c.typing(ctx, receiver, rt, wire.TypingStarted)
}

// EndTyping tells receiver this user stopped typing.
func (c *Client) EndTyping(ctx context.Context, receiver string, rt chat.ReceiverType) error {
	return c.typing(ctx, receiver, rt, wire.TypingEnded)
}

func (c *Client) typing(ctx context.Context, receiver string, rt chat.ReceiverType, action string) error {
	me := c.Me()
	f := wire.Frame{Type: wire.TypeTyping, Receiver: receiver, ReceiverType: string(rt)}
	return c.writeFrame(ctx, f, wire.TypingBody{Action: action, User: &me})
}

// SendTransient sends data that is delivered live and never stored.
func (c *Client) SendTransient(ctx context.Context, receiver string, rt chat.ReceiverType, data map[string]any) error {
	me := c.Me()
	f := wire.Frame{Type: wire.TypeTransient, Receiver: receiver, ReceiverType: string(rt)}
	return c.writeFrame(ctx, f, wire.TransientBody{User: &me, Data: data})
}
