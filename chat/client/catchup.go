package client

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// Bounds on catch-up so a confused server cannot keep us paging forever.
const (
	catchUpConvPage  = 50
	catchUpConvPages = 40
	catchUpMsgPage   = 100
	catchUpMsgPages  = 200
)

// takeBaseline marks everything that exists at login as history: the
// caller loads that itself; catch-up replays only what comes after.
func (c *Client) takeBaseline(ctx context.Context) error {
	if c.noGlobalList.Load() {
		return c.baselineFromConversations(ctx)
	}
	newest, err := c.allMessages(ctx, wire.AffixPrepend, 0, 1)
	if c.globalListRefused(err) {
		return c.baselineFromConversations(ctx)
	}
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	var top chat.ID
	for _, m := range newest {
		top = max(top, m.ID)
	}
	c.track.baseline(top)
	return nil
}

func (c *Client) baselineFromConversations(ctx context.Context) error {
	convs, err := c.listConversations(ctx, chat.ConversationQuery{Page: chat.Page{PerPage: catchUpConvPage, Page: 1}})
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	var top chat.ID
	for _, cv := range convs {
		top = max(top, latestID(cv))
	}
	c.track.baseline(top)
	return nil
}

func latestID(cv chat.Conversation) chat.ID {
	id := cv.LatestMessageID
	if cv.LastMessage != nil {
		id = max(id, cv.LastMessage.ID)
	}
	return id
}

// globalListRefused reports (and remembers) that the server answered
// GET /messages with an API error other than refused credentials: it
// does not offer the list, so catch-up goes conversation by conversation.
func (c *Client) globalListRefused(err error) bool {
	if chat.CodeOf(err) == "" || isAuthFailure(err) {
		return false
	}
	c.noGlobalList.Store(true)
	c.cfg.Logger.Info("server has no message list across conversations; catching up per conversation", "err", err)
	return true
}

// allMessages lists the logged-in user's messages across every
// conversation (GET /messages), which our server offers; CometChat's
// client API may not.
func (c *Client) allMessages(ctx context.Context, affix string, id chat.ID, limit int) ([]chat.Message, error) {
	v := url.Values{}
	v.Set("affix", affix)
	v.Set("per_page", strconv.Itoa(limit))
	if id != 0 {
		v.Set("id", id.String())
	}
	var out []chat.Message
	_, err := c.rest.do(ctx, request{method: "GET", path: "/messages", query: v}, &out)
	return out, err
}

// catchUp fetches what arrived while the socket was down (or, at the
// first connection, since login) and hands it out
// in id order, before any live frame that queued up meanwhile. Nothing is
// handed out unless every fetch succeeded, so a failed attempt is simply
// repeated on the next connection.
func (c *Client) catchUp(ctx context.Context, stop <-chan struct{}) error {
	var missed []chat.Message
	var err error
	if !c.noGlobalList.Load() {
		missed, err = c.missedEverywhere(ctx)
	}
	if c.noGlobalList.Load() || c.globalListRefused(err) {
		missed, err = c.missedByConversation(ctx)
	}
	if err != nil {
		return fmt.Errorf("catch-up: %w", err)
	}
	slices.SortFunc(missed, func(a, b chat.Message) int { return cmp.Compare(a.ID, b.ID) })
	n := 0
	for i := range missed {
		m := &missed[i]
		if (i > 0 && m.ID == missed[i-1].ID) || c.track.history(m) {
			continue
		}
		k, fresh := c.track.unseen(m)
		if !fresh {
			continue
		}
		raw, _ := json.Marshal(m)
		meta := chat.EventMeta{At: c.cfg.Now(), Dir: chat.Local, Raw: raw, FrameType: wire.TypeMessage}
		ev, err := messageEvent(*m, meta, true)
		if err != nil {
			ev = chat.FrameIgnored{EventMeta: meta, Reason: err.Error()}
		}
		if !c.emit(stop, ev) {
			return fmt.Errorf("catch-up: stopped")
		}
		c.track.delivered(m, k)
		n++
	}
	if n > 0 {
		c.cfg.Logger.Info("caught up", "messages", n)
	}
	return nil
}

// missedEverywhere pages every message after the high-water mark.
func (c *Client) missedEverywhere(ctx context.Context) ([]chat.Message, error) {
	from := c.track.highWater()
	var out []chat.Message
	for range catchUpMsgPages {
		ms, err := c.allMessages(ctx, wire.AffixAppend, from, catchUpMsgPage)
		if err != nil {
			return nil, err
		}
		next := newer(ms, from, &out)
		if next == 0 {
			return out, nil
		}
		from = next
	}
	return out, nil
}

// missedByConversation is the fallback for servers without GET /messages:
// it pages each conversation that moved since we last saw it. Thread
// replies and edits do not move a conversation, so this sees fewer of them.
func (c *Client) missedByConversation(ctx context.Context) ([]chat.Message, error) {
	var missed []chat.Message
	for page := 1; page <= catchUpConvPages; page++ {
		convs, err := c.listConversations(ctx, chat.ConversationQuery{Page: chat.Page{PerPage: catchUpConvPage, Page: page}})
		if err != nil {
			return nil, err
		}
		for _, cv := range convs {
			from := c.track.start(cv.ConversationID)
			if latestID(cv) <= from {
				continue
			}
			ms, err := c.fetchAfter(ctx, cv.ConversationID, from)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cv.ConversationID, err)
			}
			missed = append(missed, ms...)
		}
		if len(convs) < catchUpConvPage {
			break
		}
	}
	return missed, nil
}

// fetchAfter pages one conversation forward from id until it runs dry.
func (c *Client) fetchAfter(ctx context.Context, conv string, id chat.ID) ([]chat.Message, error) {
	var out []chat.Message
	for range catchUpMsgPages {
		ms, err := c.listMessages(ctx, chat.MessageQuery{ConversationID: conv, Affix: wire.AffixAppend, ID: id, Limit: catchUpMsgPage})
		if err != nil {
			return nil, err
		}
		next := newer(ms, id, &out)
		if next == 0 {
			return out, nil
		}
		id = next
	}
	return out, nil
}

// newer appends the messages after id to out and returns the largest id
// among them (0 if none): the next cursor.
func newer(ms []chat.Message, id chat.ID, out *[]chat.Message) chat.ID {
	var next chat.ID
	for _, m := range ms {
		if m.ID > id {
			*out = append(*out, m)
			next = max(next, m.ID)
		}
	}
	return next
}
