package realtime

import (
	"context"

	"cometterm/chat"
	"cometterm/chat/wire"
)

// announcePresence tells subscribers that c's user came online (first
// device) or went offline (last device), by each subscriber's auth
// presenceSubscription: ALL_USERS everyone, ROLES the listed roles,
// FRIENDS the user's friends, none nothing. Never to the user themself.
// It runs under presenceMu; online is the number of users online after
// the change.
func (h *Hub) announcePresence(c *conn, online bool, usersOnline int) {
	now := h.opts.Now().Unix()
	// Detached from the socket: the last device going away is exactly when
	// lastActiveAt must still be written.
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.DirectoryTimeout)
	defer cancel()

	user := c.user
	action := wire.PresenceOnline
	user.Status = chat.StatusOnline
	if !online {
		action = wire.PresenceOffline
		user.Status = chat.StatusOffline
		user.LastActiveAt = now
		if err := h.dir.SetLastActive(ctx, c.uid, now); err != nil {
			h.log.Error("realtime: record last active", "uid", c.uid, "err", err)
		}
	}
	if usersOnline > h.opts.PresenceUserLimit {
		return
	}
	subs := h.subscribers(c.uid, user.Role)
	if len(subs.conns) == 0 {
		return
	}
	if subs.needFriends {
		friends, err := h.dir.FriendUIDs(ctx, c.uid)
		if err != nil {
			h.log.Error("realtime: friends for presence", "uid", c.uid, "err", err)
		}
		subs.friends = make(map[string]struct{}, len(friends))
		for _, f := range friends {
			subs.friends[f] = struct{}{}
		}
	}
	frame, err := encode(wire.Frame{
		AppID: h.opts.AppID, DeviceID: c.device, Type: wire.TypePresence, Sender: c.uid,
	}, wire.PresenceBody{Action: action, User: &user, Timestamp: now})
	if err != nil {
		h.log.Error("realtime: presence", "err", err)
		return
	}
	for _, s := range subs.conns {
		if s.sub.mode == wire.SubscribeFriends {
			if _, ok := subs.friends[s.uid]; !ok {
				continue
			}
		}
		s.send(frame)
	}
}

// presenceTargets are the sockets that may hear about one user.
type presenceTargets struct {
	conns       []*conn
	needFriends bool
	friends     map[string]struct{}
}

// subscribers lists the sockets of other users whose subscription covers
// a user of role; FRIENDS sockets are filtered by the caller, which asks
// the directory only if there are any.
func (h *Hub) subscribers(uid, role string) presenceTargets {
	var t presenceTargets
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.listening == 0 {
		return t
	}
	for other, set := range h.users {
		if other == uid {
			continue
		}
		for _, s := range set {
			switch s.sub.mode {
			case wire.SubscribeAllUsers:
			case wire.SubscribeRoles:
				if _, ok := s.sub.roles[role]; !ok {
					continue
				}
			case wire.SubscribeFriends:
				t.needFriends = true
			default:
				continue
			}
			t.conns = append(t.conns, s)
		}
	}
	return t
}
