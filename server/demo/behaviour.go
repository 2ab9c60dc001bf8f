package demo

import (
	"context"
	"time"

	"cometterm/chat"
	"cometterm/chat/client"
)

// How old a message of the user may be and still get an answer: a demo
// user coming back online answers what was said while away, not history.
const answerWindow = 5 * time.Minute

// opening logs the demo users in one after another and starts the
// unprompted routines.
func (d *director) opening() {
	at := 0.0
	for _, uid := range d.order {
		at += 0.5 + d.rnd.Float64()
		d.after(at, at, func() { d.start(uid) })
	}
	d.after(20, 40, d.chatter)
	d.after(40, 80, d.comeAndGo)
	d.after(60, 120, d.toggleScope)
}

// handle reacts to one event seen by demo user uid.
func (d *director) handle(be botEvent) {
	switch ev := be.ev.(type) {
	case chat.MessageReceived:
		if ev.Message.Sender == d.cfg.Me && ev.Message.Category != chat.CategoryAction {
			d.heard(be.uid, ev.Message)
		}
	case chat.GroupMemberChanged:
		if ev.Action == chat.ActionScopeChanged && ev.Group.GUID == Avengers && ev.On.UID == d.scopeTarget {
			d.scopeNow = ev.NewScope
		}
	}
}

// heard: the user's message m reached demo user uid. They mark it
// delivered at once; an answer is prepared once per conversation, so that
// a burst of messages or the copies of a group message get one reply.
func (d *director) heard(uid string, m chat.Message) {
	b := d.bots[uid]
	b.engaged = time.Now()
	d.after(0.1, 0.4, func() {
		d.act(uid, "mark delivered", func(ctx context.Context, c *client.Client) error { return c.MarkDelivered(ctx, m) })
	})
	if u := m.SenderUser(); u != nil && d.meName == d.cfg.Me {
		// A user outside the cast is addressed by their first name.
		d.meName = nickOf(d.cfg.Me, u.Name)
	}
	key := m.ConversationID
	if m.ParentID != 0 {
		key += "/" + m.ParentID.String()
	}
	if m.ID <= d.answered[key] || time.Since(time.Unix(m.SentAt, 0)) > answerWindow {
		return
	}
	p := d.pending[key]
	if p == nil {
		p = &pending{}
		d.pending[key] = p
		d.after(0.8, 1.6, func() { d.answer(key) })
	}
	if m.ID > p.last.ID {
		p.last = m
	}
	if !contains(p.receivers, uid) {
		p.receivers = append(p.receivers, uid)
		b.busy++ // until answer picks who speaks
	}
}

// answer: one demo user reads the user's message, types for a moment and
// replies in character.
func (d *director) answer(key string) {
	p := d.pending[key]
	delete(d.pending, key)
	if p == nil {
		return
	}
	for _, uid := range p.receivers {
		d.bots[uid].busy--
	}
	m := p.last
	d.answered[key] = m.ID
	to, rt := m.Sender, chat.ReceiverUser
	who := m.Receiver
	if m.ReceiverType == chat.ReceiverGroup {
		to, rt = m.Receiver, chat.ReceiverGroup
		var here []string
		for _, uid := range p.receivers {
			if d.online(uid) {
				here = append(here, uid)
			}
		}
		if len(here) == 0 {
			return
		}
		who = pick(d.rnd, here)
		// Some of the others read it too.
		for _, uid := range here {
			if uid != who && d.rnd.IntN(2) == 0 {
				d.after(0.5, 2, func() { d.read(uid, m) })
			}
		}
	}
	if d.bots[who] == nil {
		return
	}
	b := d.bots[who]
	b.engaged = time.Now()
	d.read(who, m)
	if d.rnd.IntN(5) == 0 {
		d.react(who, m.ID)
	}
	line := fill(pick(d.rnd, replies[who][classify(m.Data.Text)]), d.meName)
	if rt == chat.ReceiverGroup && d.rnd.IntN(4) == 0 {
		line = "<@uid:" + d.cfg.Me + "> " + line
	}
	var opts []client.SendOption
	if m.ParentID != 0 {
		opts = append(opts, client.InThread(m.ParentID))
	}
	d.log.Debug("demo user answers", "uid", who, "to", to, "line", line)
	b.busy++
	d.after(0.3, 0.7, func() {
		b.busy--
		d.say(who, to, rt, line, opts...)
	})
}

func (d *director) read(uid string, m chat.Message) {
	d.act(uid, "mark read", func(ctx context.Context, c *client.Client) error { return c.MarkRead(ctx, m) })
}

func (d *director) react(uid string, id chat.ID) {
	emoji := pick(d.rnd, reactions)
	d.act(uid, "react", func(ctx context.Context, c *client.Client) error {
		_, err := c.AddReaction(ctx, id, emoji)
		return err
	})
}

// say types for a while (longer for longer lines) and then sends the
// line.
func (d *director) say(uid, to string, rt chat.ReceiverType, line string, opts ...client.SendOption) {
	d.sayThen(uid, to, rt, line, nil, opts...)
}

// sayThen is say, and then gets the sent message.
func (d *director) sayThen(uid, to string, rt chat.ReceiverType, line string, then func(chat.Message), opts ...client.SendOption) {
	b := d.bots[uid]
	b.busy++
	d.act(uid, "start typing", func(ctx context.Context, c *client.Client) error { return c.StartTyping(ctx, to, rt) })
	long := float64(len(line)) / 60
	d.after(1+long, 2+long, func() {
		b.busy--
		d.act(uid, "end typing", func(ctx context.Context, c *client.Client) error { return c.EndTyping(ctx, to, rt) })
		var sent chat.Message
		send := func(ctx context.Context, c *client.Client) (err error) {
			sent, err = c.SendText(ctx, to, rt, line, opts...)
			return err
		}
		if then == nil {
			d.act(uid, "send", send)
		} else {
			d.actThen(uid, "send", send, func() { then(sent) })
		}
	})
}

// chatter: a demo user says something in the public group; another may
// answer and a third react.
func (d *director) chatter() {
	defer d.after(20, 40, d.chatter)
	here := d.onlineBots()
	if len(here) == 0 {
		return
	}
	who := pick(d.rnd, here)
	line := pick(d.rnd, chatter[who])
	if line == d.lastChatter {
		return
	}
	d.lastChatter = line
	d.sayThen(who, Avengers, chat.ReceiverGroup, line, func(m chat.Message) {
		others := d.onlineBots(who)
		if len(others) == 0 {
			return
		}
		if d.rnd.IntN(2) == 0 {
			next := pick(d.rnd, others)
			reply := fill(pick(d.rnd, followUps[next]), nickOf(who, ""))
			d.after(3, 8, func() { d.say(next, Avengers, chat.ReceiverGroup, reply) })
		}
		if d.rnd.IntN(5) < 2 {
			fan := pick(d.rnd, others)
			d.after(2, 6, func() { d.react(fan, m.ID) })
		}
	})
}

// comeAndGo takes one demo user offline for a while: nobody who is
// talking or being talked to, and never more than one at a time.
func (d *director) comeAndGo() {
	defer d.after(40, 80, d.comeAndGo)
	if d.away > 0 {
		return
	}
	var idle []string
	for _, uid := range d.onlineBots(d.scopeActor) {
		if b := d.bots[uid]; b.busy == 0 && time.Since(b.engaged) > 30*d.cfg.Pace {
			idle = append(idle, uid)
		}
	}
	if len(idle) == 0 {
		return
	}
	uid := pick(d.rnd, idle)
	d.away++
	d.act(uid, "go offline", func(ctx context.Context, c *client.Client) error { return c.Disconnect() })
	d.after(15, 40, func() {
		d.away--
		// Queued directly: act skips offline users. On failure the client
		// keeps trying in the background.
		d.queue(uid, job{what: "come back", call: func(ctx context.Context, c *client.Client) error { return c.Connect(ctx) }})
	})
}

// toggleScope: an admin of the public group moves a member between
// participant and moderator.
func (d *director) toggleScope() {
	defer d.after(60, 120, d.toggleScope)
	if !d.online(d.scopeActor) {
		return
	}
	to := chat.ScopeModerator
	if d.scopeNow == chat.ScopeModerator {
		to = chat.ScopeParticipant
	}
	target := d.scopeTarget
	d.actThen(d.scopeActor, "change scope", func(ctx context.Context, c *client.Client) error {
		err := c.ChangeScope(ctx, Avengers, target, to)
		if chat.HasCode(err, chat.ErrSameScope) {
			return nil // the user got there first
		}
		return err
	}, func() { d.scopeNow = to })
}
