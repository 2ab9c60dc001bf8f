package ui

import (
	"context"
	"hash/fnv"
	"time"

	tea "charm.land/bubbletea/v2"

	"cometterm/chat"
)

// receiptDelay gathers the receipts of a burst of messages: each
// conversation then costs one delivered and one read receipt, for its
// newest message, which covers the earlier ones. Without it every incoming
// message makes every client write twice to the server.
const receiptDelay = 250 * time.Millisecond

// groupReceiptDelay is the same for a burst that starts in a group: there
// every member acknowledges every message, so a group of a few hundred
// people sends the server that many receipts per flush, and a second is
// still soon enough for "read by N".
const groupReceiptDelay = time.Second

// groupReceiptRate bounds the receipts that the members of one busy group
// send together, per second: in a larger group each member waits longer
// between flushes (groupReceiptWait). At 200 members and a message every
// few milliseconds, flushing every second made receipts a twelfth of a
// server's work and a sixth of what it allocated.
const groupReceiptRate = 100

// maxGroupReceiptDelay is the longest a member of a large group waits.
const maxGroupReceiptDelay = 5 * time.Second

// groupReceiptWait is how long a member of a group of the given size
// gathers receipts: a second, longer past groupReceiptRate members.
func groupReceiptWait(members int) time.Duration {
	d := time.Duration(members) * time.Second / groupReceiptRate
	return min(max(d, groupReceiptDelay), maxGroupReceiptDelay)
}

// receiptPhase is uid's fixed share of spread. It staggers group flushes
// by reader: every member receives a message at the same moment, and
// without it they would all acknowledge it in the same instant, a burst
// of hundreds of writes that a message posted then waits behind.
func receiptPhase(uid string, spread time.Duration) time.Duration {
	if spread <= 0 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(uid))
	return time.Duration(h.Sum32()) % spread
}

// receiptWait is how long after msg arrives the receipts gathered for it
// and what follows are sent, for the reader uid. A group's size comes
// with each of its messages (the receiver entity); half the wait spreads
// its members (receiptPhase).
func receiptWait(msg *chat.Message, uid string) time.Duration {
	if msg.ReceiverType != chat.ReceiverGroup {
		return receiptDelay
	}
	members := 0
	if e := msg.Data.Entities.Receiver; e != nil && e.Group != nil {
		members = e.Group.MembersCount
	}
	wait := groupReceiptWait(members)
	return wait + receiptPhase(uid, wait/2)
}

// pendingReceipts are the newest messages waiting to be acknowledged, per
// conversation (and thread).
type pendingReceipts struct {
	delivered, read map[receiptSlot]chat.Message
	armed           bool
}

// receiptSlot is a conversation, or a thread in it (parent set): each is
// acknowledged on its own. A struct rather than a joined string, which
// cost an allocation for every message that arrived.
type receiptSlot struct {
	conv   string
	parent chat.ID
}

// flushReceiptsMsg sends what has gathered.
type flushReceiptsMsg struct{}

func receiptKey(m chat.Message) receiptSlot {
	return receiptSlot{conv: m.ConversationID, parent: m.ParentID}
}

// queueReceipt notes that msg was delivered (or read, which implies it)
// and arms one flush for the whole burst.
func (m *Model) queueReceipt(msg chat.Message, read bool) tea.Cmd {
	p := &m.st.receipts
	if p.delivered == nil {
		p.delivered, p.read = map[receiptSlot]chat.Message{}, map[receiptSlot]chat.Message{}
	}
	into := p.delivered
	if read {
		into = p.read
	}
	k := receiptKey(msg)
	if cur, ok := into[k]; !ok || msg.ID > cur.ID {
		into[k] = msg
	}
	if p.armed {
		return nil
	}
	p.armed = true
	return tea.Tick(receiptWait(&msg, m.c.Me.UID), func(time.Time) tea.Msg { return flushReceiptsMsg{} })
}

// flushReceipts sends one receipt per conversation: read where the newest
// was read (it implies delivered), delivered otherwise.
func (m *Model) flushReceipts() tea.Cmd {
	p := &m.st.receipts
	be := m.be
	var cmds []tea.Cmd
	for k, msg := range p.read {
		cmds = append(cmds, m.fireAndForget("read", func(ctx context.Context) error { return be.MarkRead(ctx, msg) }))
		if d, ok := p.delivered[k]; ok && d.ID <= msg.ID {
			delete(p.delivered, k)
		}
	}
	for _, msg := range p.delivered {
		cmds = append(cmds, m.fireAndForget("delivered", func(ctx context.Context) error { return be.MarkDelivered(ctx, msg) }))
	}
	clear(p.read)
	clear(p.delivered)
	p.armed = false
	return tea.Batch(cmds...)
}
