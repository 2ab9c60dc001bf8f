package demo

import (
	"time"

	"cometterm/chat"
)

// day is hh:mm local time, n days before now's date. Days before today end
// by 22:00 and today's steps are at most 90 minutes old, so the script
// stays in order at any time of day.
func (s *seeder) day(n, hh, mm int) int64 {
	y, m, d := s.now.Date()
	return time.Date(y, m, d-n, hh, mm, 0, 0, s.now.Location()).Unix()
}

// ago is a time shortly before now.
func (s *seeder) ago(d time.Duration) int64 { return s.now.Add(-d).Unix() }

func dm(from, to, text string, at int64) chat.Message {
	return chat.Message{Sender: from, Receiver: to, ReceiverType: chat.ReceiverUser,
		Type: chat.TypeText, Data: chat.MessageData{Text: text}, SentAt: at}
}

func post(from, guid, text string, at int64) chat.Message {
	return chat.Message{Sender: from, Receiver: guid, ReceiverType: chat.ReceiverGroup,
		Type: chat.TypeText, Data: chat.MessageData{Text: text}, SentAt: at}
}

func (s *seeder) reply(parent string, m chat.Message) chat.Message {
	m.ParentID, _ = s.id(parent)
	return m
}

// mention puts CometChat's mention token for uid in front of the text; the
// store resolves it to the user.
func mention(m chat.Message, uid string) chat.Message {
	m.Data.Text = "<@uid:" + uid + "> " + m.Data.Text
	return m
}

// history is the demo's past, in order. What it must leave behind for
// the user (superhero1): a thread, reactions, an edit, a delete, media and
// custom messages, every kind of group action, messages the peers have
// read, and a few unread conversations to open.
func (s *seeder) history() {
	gs := groups()
	avengers, shield, lab := gs[0], gs[1], gs[2]
	hq := chat.GroupConversationID(Avengers)

	// Three days ago: the team assembles.
	s.group(avengers, s.day(3, 9, 0))
	s.member(Avengers, CaptainAmerica, CaptainAmerica, s.day(3, 9, 2))
	s.scope(Avengers, CaptainAmerica, chat.ScopeAdmin, IronMan, s.day(3, 9, 3))
	s.member(Avengers, Spiderman, Spiderman, s.day(3, 9, 5))
	s.member(Avengers, Wolverine, Wolverine, s.day(3, 9, 8))
	s.send("hq-welcome", post(IronMan, Avengers, "Welcome to Avengers HQ. This is a demo workspace: everyone here is a friendly bot, so poke at anything.", s.day(3, 9, 10)))
	s.send("hq-briefing", post(CaptainAmerica, Avengers, "Morning team. Briefing at eleven.", s.day(3, 9, 12)))
	s.send("hq-onmyway", post(Spiderman, Avengers, "on my way! 🕷️", s.day(3, 9, 13)))
	s.send("hq-thread-1", s.reply("hq-briefing", post(IronMan, Avengers, "Can we make it eleven-thirty? The suit needs a firmware update.", s.day(3, 9, 15))))
	s.send("hq-thread-2", s.reply("hq-briefing", post(CaptainAmerica, Avengers, "Eleven, Tony. The suit can come as it is.", s.day(3, 9, 16))))
	s.send("hq-thread-3", s.reply("hq-briefing", post(Wolverine, Avengers, "I'll be there. Coffee better be too.", s.day(3, 9, 18))))
	s.react("hq-briefing", IronMan, "👍", s.day(3, 9, 19))
	s.react("hq-briefing", Spiderman, "👍", s.day(3, 9, 19))
	s.react("hq-briefing", Wolverine, "👍", s.day(3, 9, 20))
	s.scope(Avengers, Spiderman, chat.ScopeModerator, IronMan, s.day(3, 9, 25))
	s.send("hq-mod-thanks", post(Spiderman, Avengers, "Moderator? Me? Thank you Mr. Stark!!", s.day(3, 9, 26)))
	s.react("hq-mod-thanks", CaptainAmerica, "❤️", s.day(3, 9, 27))

	s.group(shield, s.day(3, 10, 0))
	s.member(ShieldOps, Wolverine, Wolverine, s.day(3, 10, 4))
	s.member(ShieldOps, Cyclops, Cyclops, s.day(3, 10, 6))
	s.send("ops-launch", post(CaptainAmerica, ShieldOps, "Launch window is at nine tomorrow. Keep it between us.", s.day(3, 10, 10)))
	s.send("ops-fine", post(Wolverine, ShieldOps, "Fine by me.", s.day(3, 10, 12)))

	s.group(lab, s.day(3, 14, 0))
	s.member(StarkLab, Spiderman, IronMan, s.day(3, 14, 1))
	s.send("lab-suit", chat.Message{Sender: IronMan, Receiver: StarkLab, ReceiverType: chat.ReceiverGroup,
		Type: chat.TypeImage, SentAt: s.day(3, 14, 5), Data: chat.MessageData{
			Text: "Mark 85, ready for a fitting.",
			Attachments: []chat.Attachment{{
				URL:  "https://picsum.photos/seed/mark85/800/600.jpg",
				Name: "mark85.jpg", MimeType: "image/jpeg", Extension: "jpg", Size: 48213,
			}},
		}})
	s.send("lab-whoa", post(Spiderman, StarkLab, "Whoa. Can mine have web shooters?", s.day(3, 14, 7)))
	s.react("lab-suit", Spiderman, "🔥", s.day(3, 14, 7))
	s.send("lab-nope", post(IronMan, StarkLab, "Yours has training wheels. We'll talk.", s.day(3, 14, 9)))
	s.receipt(Spiderman, "lab-nope", chat.ReceiptRead, s.day(3, 14, 10))
	s.read(Spiderman, chat.GroupConversationID(StarkLab), s.day(3, 14, 10))

	// Two days ago: a 1:1 with Cap, a new member, a place to meet.
	s.send("cap-notes", dm(CaptainAmerica, IronMan, "Tony, got a minute for the briefing notes?", s.day(2, 8, 30)))
	s.send("cap-always", dm(IronMan, CaptainAmerica, "Always. Send them over.", s.day(2, 8, 32)))
	s.send("cap-sent", dm(CaptainAmerica, IronMan, "Sent. And no more repulsor tests in the hangar.", s.day(2, 8, 40)))
	s.send("cap-define", dm(IronMan, CaptainAmerica, "Define 'tests'.", s.day(2, 8, 41)))
	s.receipt(CaptainAmerica, "cap-define", chat.ReceiptRead, s.day(2, 8, 45))

	s.member(Avengers, Cyclops, IronMan, s.day(2, 11, 0))
	s.send("hq-liaison", post(Cyclops, Avengers, "Thanks for the invite. X-Men liaison, reporting.", s.day(2, 11, 2)))
	s.send("hq-lasers", post(Wolverine, Avengers, "Great. More lasers.", s.day(2, 11, 4)))
	s.react("hq-lasers", Spiderman, "😂", s.day(2, 11, 5))
	s.send("hq-here", chat.Message{Sender: IronMan, Receiver: Avengers, ReceiverType: chat.ReceiverGroup,
		Category: chat.CategoryCustom, Type: "location", SentAt: s.day(2, 11, 8), Data: chat.MessageData{
			CustomData: map[string]any{"latitude": 40.7484, "longitude": -73.9857, "name": "Stark Tower, Midtown"},
		}})
	s.send("hq-window", post(IronMan, Avengers, "Launch window confirmed for 0900.", s.day(2, 11, 10)))
	s.edit("hq-window", "Launch window confirmed for 0930.", IronMan, s.day(2, 11, 12))
	s.send("hq-oops", post(Spiderman, Avengers, "ok who took my sandwich from the fridge", s.day(2, 11, 14)))
	s.remove("hq-oops", Spiderman, s.day(2, 11, 15))
	// Everyone read the launch window (and with it what came before).
	for i, uid := range []string{CaptainAmerica, Spiderman, Wolverine, Cyclops} {
		s.receipt(uid, "hq-window", chat.ReceiptRead, s.day(2, 11, 16+i))
	}

	// Yesterday: Logan and the kid.
	s.send("logan-bike", dm(IronMan, Wolverine, "Logan, do you still have my motorcycle?", s.day(1, 18, 0)))
	s.send("logan-one", dm(Wolverine, IronMan, "It's in one piece. Mostly.", s.day(1, 18, 20)))
	s.send("logan-mostly", dm(IronMan, Wolverine, "Mostly?", s.day(1, 18, 21)))
	s.send("logan-ok", dm(Wolverine, IronMan, "ok", s.day(1, 18, 30)))
	s.read(IronMan, chat.UserConversationID(IronMan, Wolverine), s.day(1, 18, 31))
	s.send("logan-friday", dm(IronMan, Wolverine, "Bring it back by Friday.", s.day(1, 18, 33)))
	s.receipt(Wolverine, "logan-friday", chat.ReceiptDelivered, s.day(1, 18, 34)) // delivered, not read

	s.send("pete-lab", dm(Spiderman, IronMan, "Mr. Stark, is the lab open tonight?", s.day(1, 19, 0)))
	s.send("pete-always", dm(IronMan, Spiderman, "For you, kid, always. Don't touch the red button.", s.day(1, 19, 2)))
	s.send("pete-yay", dm(Spiderman, IronMan, "Awesome!! 🕸️", s.day(1, 19, 3)))
	s.react("pete-always", Spiderman, "🙌", s.day(1, 19, 3))
	s.read(IronMan, chat.UserConversationID(IronMan, Spiderman), s.day(1, 19, 5))
	s.read(IronMan, chat.GroupConversationID(StarkLab), s.day(1, 19, 6))
	s.read(IronMan, hq, s.day(1, 19, 7))

	// The last hour or so: unread conversations waiting for the user.
	s.send("cap-late", dm(IronMan, CaptainAmerica, "Running late, save me a seat.", s.ago(85*time.Minute)))
	s.read(IronMan, chat.UserConversationID(IronMan, CaptainAmerica), s.ago(85*time.Minute))
	s.receipt(CaptainAmerica, "cap-late", chat.ReceiptRead, s.ago(80*time.Minute))
	s.send("cap-seat", dm(CaptainAmerica, IronMan, "Saved. Again.", s.ago(79*time.Minute)))
	s.send("cap-sure", dm(CaptainAmerica, IronMan, "sure, on my way", s.ago(78*time.Minute)))
	s.send("scott-jet", dm(Cyclops, IronMan, "Tony, the Professor asks whether the jet is free on Friday.", s.ago(60*time.Minute)))
	s.send("ops-password", post(CaptainAmerica, ShieldOps, "Launch at 9. Someone tell Tony the password is "+ShieldOpsPassword+".", s.ago(50*time.Minute)))
	s.send("hq-training", mention(post(CaptainAmerica, Avengers, "training at noon, no excuses.", s.ago(40*time.Minute)), IronMan))
	s.send("hq-coming", post(Spiderman, Avengers, "on my way!", s.ago(38*time.Minute)))
	s.send("hq-bub", post(Wolverine, Avengers, "Save me the heavy bag, bub.", s.ago(35*time.Minute)))
	s.react("hq-training", Cyclops, "👍", s.ago(34*time.Minute))
}
