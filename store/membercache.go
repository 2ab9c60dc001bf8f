package store

import (
	"context"
	"slices"
	"sync"
)

// maxCachedGroups bounds memberCache; beyond it, an entry makes room.
const maxCachedGroups = 4096

// memberCache keeps the member uids of groups for MemberUIDs, which the
// realtime hub asks for on every fan-out to a group: reading 200 members
// rows cost about as much as storing the message.
//
// It never answers what SQL would not. Every write that changes who is in
// a group goes through changeMembers (or, when it cannot name the groups,
// changeAllMembers), which marks the group as changing and drops its entry
// before the transaction begins, and does both again after it ended,
// however it ended. While a group is changing, its reads go to SQL and are
// not kept. A read that missed keeps its rows only if no change began or
// ended anywhere since before its query started (gen): then no change of
// that group was under way, the query saw every change that had ended, and
// the next change will drop the entry.
type memberCache struct {
	mu       sync.Mutex
	gen      uint64
	changing map[string]int // guid: writes of its members under way
	all      int            // writes under way that may touch any group
	uids     map[string][]string
}

func newMemberCache() *memberCache {
	return &memberCache{changing: map[string]int{}, uids: map[string][]string{}}
}

// get returns guid's uids, the cached slice itself (see put), and true;
// or, on a miss, the generation to hand to put. A copy for every fan-out
// of a busy group was most of what the lookups allocated.
func (c *memberCache) get(guid string) ([]string, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all == 0 && c.changing[guid] == 0 {
		if uids, ok := c.uids[guid]; ok {
			return uids, 0, true
		}
	}
	return nil, c.gen, false
}

// put keeps uids, read by a query that started after get returned gen,
// unless a change began or ended since. The cache keeps uids itself and
// hands it out as it is: nobody may change it. It is clipped, so that an
// append makes a copy.
func (c *memberCache) put(guid string, gen uint64, uids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.all != 0 || c.changing[guid] != 0 {
		return
	}
	if len(c.uids) >= maxCachedGroups {
		for k := range c.uids {
			delete(c.uids, k)
			break
		}
	}
	c.uids[guid] = slices.Clip(uids)
}

// begin and end bracket a write of guid's members; "" for any group.
func (c *memberCache) begin(guid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if guid == "" {
		c.all++
		clear(c.uids)
		return
	}
	c.changing[guid]++
	delete(c.uids, guid)
}

func (c *memberCache) end(guid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if guid == "" {
		c.all--
		clear(c.uids)
		return
	}
	if c.changing[guid]--; c.changing[guid] == 0 {
		delete(c.changing, guid)
	}
	delete(c.uids, guid)
}

// changeMembers runs fn in a write transaction that may add or remove
// members of guid (or delete it).
func (d *DB) changeMembers(ctx context.Context, guid string, fn func(querier) error) error {
	d.members.begin(guid)
	defer d.members.end(guid)
	return d.tx(ctx, fn)
}

// changeAllMembers brackets fn, a write that may remove members of any
// group (deleting a user).
func (d *DB) changeAllMembers(fn func() error) error {
	d.members.begin("")
	defer d.members.end("")
	return fn()
}
