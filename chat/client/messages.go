package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// SendOption adjusts a message before it is sent.
type SendOption func(*sendOpts)

type sendOpts struct {
	muid     string
	tags     []string
	metadata map[string]any
	parent   chat.ID
}

// WithMUID sets the client-side message id. Every send has one (random
// by default) so that retrying a send cannot store it twice.
func WithMUID(muid string) SendOption { return func(o *sendOpts) { o.muid = muid } }

// WithTags tags the message.
func WithTags(tags ...string) SendOption { return func(o *sendOpts) { o.tags = tags } }

// WithMetadata attaches metadata to the message's data.
func WithMetadata(md map[string]any) SendOption { return func(o *sendOpts) { o.metadata = md } }

// InThread sends the message as a reply in parent's thread.
func InThread(parent chat.ID) SendOption { return func(o *sendOpts) { o.parent = parent } }

func (c *Client) send(ctx context.Context, receiver string, rt chat.ReceiverType, cat chat.Category, typ string, data map[string]any, opts []SendOption) (chat.Message, error) {
	o := sendOpts{muid: uuid.NewString()}
	for _, f := range opts {
		f(&o)
	}
	if o.metadata != nil {
		data["metadata"] = o.metadata
	}
	body := map[string]any{
		"receiver": receiver, "receiverType": rt, "category": cat, "type": typ,
		"data": data, "muid": o.muid,
	}
	if t, ok := data["text"]; ok {
		body["text"] = t // the SDK repeats it at the top level
	}
	if o.tags != nil {
		body["tags"] = o.tags
	}
	path := "/messages"
	if o.parent != 0 {
		path = "/messages/" + o.parent.String() + "/thread"
	}
	var m chat.Message
	if _, err := c.rest.do(ctx, request{method: "POST", path: path, body: body, idempotencyKey: o.muid}, &m); err != nil {
		return chat.Message{}, err
	}
	c.track.fetched(m)
	return m, nil
}

// SendText sends a text message to a user or a group.
func (c *Client) SendText(ctx context.Context, receiver string, rt chat.ReceiverType, text string, opts ...SendOption) (chat.Message, error) {
	return c.send(ctx, receiver, rt, chat.CategoryMessage, chat.TypeText, map[string]any{"text": text}, opts)
}

// SendMedia sends attachments (by URL) of type image, video, audio or file.
func (c *Client) SendMedia(ctx context.Context, receiver string, rt chat.ReceiverType, typ string, atts []chat.Attachment, caption string, opts ...SendOption) (chat.Message, error) {
	data := map[string]any{"attachments": atts}
	if caption != "" {
		data["text"] = caption
	}
	return c.send(ctx, receiver, rt, chat.CategoryMessage, typ, data, opts)
}

// SendCustom sends a custom message of an application-defined type.
func (c *Client) SendCustom(ctx context.Context, receiver string, rt chat.ReceiverType, typ string, data map[string]any, opts ...SendOption) (chat.Message, error) {
	return c.send(ctx, receiver, rt, chat.CategoryCustom, typ, map[string]any{"customData": data}, opts)
}

// EditMessage changes a text message and returns it edited.
func (c *Client) EditMessage(ctx context.Context, id chat.ID, text string) (chat.Message, error) {
	return c.changeMessage(ctx, "PUT", id, map[string]any{"data": map[string]any{"text": text}})
}

// DeleteMessage deletes a message and returns it as deleted.
func (c *Client) DeleteMessage(ctx context.Context, id chat.ID) (chat.Message, error) {
	return c.changeMessage(ctx, "DELETE", id, nil)
}

// changeMessage unwraps the edited/deleted message from the action
// message CometChat answers with.
func (c *Client) changeMessage(ctx context.Context, method string, id chat.ID, body any) (chat.Message, error) {
	var m chat.Message
	if _, err := c.rest.do(ctx, request{method: method, path: "/messages/" + id.String(), body: body}, &m); err != nil {
		return chat.Message{}, err
	}
	if m.Category == chat.CategoryAction {
		c.track.fetched(m)
		if on := m.Data.Entities.On; on != nil && on.Message != nil {
			return *on.Message, nil
		}
		return chat.Message{}, &chat.Error{Code: chat.ErrInternal, Message: fmt.Sprintf("%s message %s: action names no message", method, id)}
	}
	return m, nil
}

// Messages lists one conversation's messages (or a thread's replies with
// ParentID) around a cursor. The result is oldest first.
func (c *Client) Messages(ctx context.Context, q chat.MessageQuery) ([]chat.Message, error) {
	ms, err := c.listMessages(ctx, q)
	if err == nil {
		c.track.fetched(ms...)
	}
	return ms, err
}

func (c *Client) messagesPath(q chat.MessageQuery) (string, error) {
	if q.ParentID != 0 {
		return "/messages/" + q.ParentID.String() + "/thread", nil
	}
	peer, rt, ok := chat.SplitConversationID(q.ConversationID, c.Me().UID)
	if !ok {
		return "", chat.FieldError("conversationId", "%q is not a conversation of %s.", q.ConversationID, c.Me().UID)
	}
	if rt == chat.ReceiverGroup {
		return "/groups/" + seg(peer) + "/messages", nil
	}
	return "/users/" + seg(peer) + "/messages", nil
}

func (c *Client) listMessages(ctx context.Context, q chat.MessageQuery) ([]chat.Message, error) {
	path, err := c.messagesPath(q)
	if err != nil {
		return nil, err
	}
	var out []chat.Message
	_, err = c.rest.do(ctx, request{method: "GET", path: path, query: messageQuery(q)}, &out)
	return out, err
}

func messageQuery(q chat.MessageQuery) url.Values {
	v := url.Values{}
	setInt(v, "per_page", q.Limit)
	setStr(v, "affix", q.Affix)
	if q.ID != 0 {
		v.Set("id", q.ID.String())
	}
	if q.SentAt != 0 {
		v.Set("sentAt", strconv.FormatInt(q.SentAt, 10))
	}
	if q.UpdatedAfter != 0 {
		v.Set("updatedAt", strconv.FormatInt(q.UpdatedAfter, 10))
	}
	setBool(v, "onlyUpdates", q.OnlyUpdates)
	cats := make([]string, len(q.Categories))
	for i, cat := range q.Categories {
		cats[i] = string(cat)
	}
	setCSV(v, "categories", cats)
	setCSV(v, "types", q.Types)
	setCSV(v, "tags", q.Tags)
	setStr(v, "sender", q.Sender)
	setStr(v, "searchKey", q.SearchKey)
	setBool(v, "hideReplies", q.HideReplies)
	setBool(v, "hideDeleted", q.HideDeleted)
	setBool(v, "onlyDeleted", q.OnlyDeleted)
	setBool(v, "unread", q.Unread)
	setBool(v, "hasAttachments", q.HasAttachments)
	setBool(v, "hasMentions", q.HasMentions)
	return v
}

// Message fetches one message.
func (c *Client) Message(ctx context.Context, id chat.ID) (chat.Message, error) {
	var m chat.Message
	_, err := c.rest.do(ctx, request{method: "GET", path: "/messages/" + id.String()}, &m)
	return m, err
}

// MessageReceipts lists each recipient's delivered and read marks on one
// of my messages.
func (c *Client) MessageReceipts(ctx context.Context, id chat.ID) ([]chat.MessageReceipt, error) {
	var out []chat.MessageReceipt
	_, err := c.rest.do(ctx, request{method: "GET", path: "/messages/" + id.String() + "/receipts"}, &out)
	return out, err
}

// AddReaction reacts to a message and returns it with its new counts.
func (c *Client) AddReaction(ctx context.Context, id chat.ID, reaction string) (chat.Message, error) {
	return c.react(ctx, "POST", id, reaction)
}

// RemoveReaction takes my reaction back.
func (c *Client) RemoveReaction(ctx context.Context, id chat.ID, reaction string) (chat.Message, error) {
	return c.react(ctx, "DELETE", id, reaction)
}

func (c *Client) react(ctx context.Context, method string, id chat.ID, reaction string) (chat.Message, error) {
	var m chat.Message
	_, err := c.rest.do(ctx, request{method: method, path: "/messages/" + id.String() + "/reactions/" + seg(reaction)}, &m)
	return m, err
}

// Bounds on reaction paging.
const (
	reactionPage  = 100
	reactionPages = 50
)

// ListReactions lists every reaction on a message, oldest first.
func (c *Client) ListReactions(ctx context.Context, id chat.ID) ([]chat.Reaction, error) {
	var all []chat.Reaction
	var after chat.ID
	for range reactionPages {
		v := url.Values{}
		v.Set("per_page", strconv.Itoa(reactionPage))
		if after != 0 {
			v.Set("affix", wire.AffixAppend)
			v.Set("id", after.String())
		}
		var page []chat.Reaction
		if _, err := c.rest.do(ctx, request{method: "GET", path: "/messages/" + id.String() + "/reactions", query: v}, &page); err != nil {
			return nil, err
		}
		var next chat.ID
		for _, r := range page {
			if r.ID > after {
				all = append(all, r)
				next = max(next, r.ID)
			}
		}
		if len(page) < reactionPage || next == 0 {
			break
		}
		after = next
	}
	return all, nil
}
