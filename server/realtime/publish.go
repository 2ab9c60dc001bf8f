package realtime

import (
	"context"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// PublishMessage fans out a stored message (chat, custom, action, call):
// in a group to every member at this moment plus alsoTo (a kicked or
// banned member who must see the action), in a 1:1 chat to both parties
// (so the sender's other devices get it too). The frame carries
// deviceId = originDevice so the sending SDK drops its own echo. It never
// waits for a socket; call it in commit order.
func (h *Hub) PublishMessage(m chat.Message, originDevice string, alsoTo ...string) {
	uids, ok := h.recipients(m, alsoTo)
	if !ok {
		return
	}
	frame, err := encode(wire.Frame{
		AppID: h.opts.AppID, Receiver: m.Receiver, ReceiverType: string(m.ReceiverType),
		DeviceID: originDevice, Type: wire.TypeMessage, Sender: m.Sender,
	}, m)
	if err != nil {
		h.log.Error("realtime: publish message", "id", m.ID, "err", err)
		return
	}
	h.out.put(fanout{uids: uids, frame: frame})
}

// PublishReaction fans out a reaction added to or removed from m, to the
// same people as m itself.
func (h *Hub) PublishReaction(r chat.Reaction, m chat.Message, added bool, originDevice string) {
	uids, ok := h.recipients(m, nil)
	if !ok {
		return
	}
	action := wire.ReactionRemoved
	if added {
		action = wire.ReactionAdded
	}
	frame, err := encode(wire.Frame{
		AppID: h.opts.AppID, Receiver: m.Receiver, ReceiverType: string(m.ReceiverType),
		DeviceID: originDevice, Type: wire.TypeReaction, Sender: r.UID,
	}, wire.ReactionBody{
		Action: action, ID: r.ID, MessageID: m.ID, UID: r.UID, Reaction: r.Reaction,
		ReactedBy: r.ReactedBy, ReactedAt: r.ReactedAt,
		ConversationID: m.ConversationID, ParentID: m.ParentID,
	})
	if err != nil {
		h.log.Error("realtime: publish reaction", "id", m.ID, "err", err)
		return
	}
	h.out.put(fanout{uids: uids, frame: frame})
}

// recipients resolves who sees m now. Group membership is read at publish
// time, so a member removed by an earlier commit no longer receives.
func (h *Hub) recipients(m chat.Message, alsoTo []string) ([]string, bool) {
	if h.ctx.Err() != nil {
		return nil, false // closed: nobody left to tell
	}
	switch m.ReceiverType {
	case chat.ReceiverGroup:
		ctx, cancel := context.WithTimeout(h.ctx, h.opts.DirectoryTimeout)
		defer cancel()
		uids, err := h.dir.MemberUIDs(ctx, m.Receiver)
		if err != nil {
			h.log.Error("realtime: group members for fan-out", "guid", m.Receiver, "id", m.ID, "err", err)
			return nil, false
		}
		if len(alsoTo) == 0 {
			return uids, true
		}
		return unique(append(uids, alsoTo...)), true
	case chat.ReceiverUser:
		return unique(append([]string{m.Sender, m.Receiver}, alsoTo...)), true
	}
	h.log.Error("realtime: publish without receiver type", "id", m.ID, "receiverType", m.ReceiverType)
	return nil, false
}
