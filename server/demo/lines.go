package demo

import (
	"strings"
	"unicode"
)

// What the demo users say. {name} is replaced by how the speaker addresses
// the user. Lines stay short, friendly and in character, and never pretend
// to be anything but a demo.

// kind sorts an incoming message by what a friendly answer needs.
type kind int

const (
	statement kind = iota
	question
	greeting
	thanks
)

// classify guesses what the user's text is: a greeting or thanks first
// (they are usually short), then a question by its mark or opening word.
func classify(text string) kind {
	t := strings.ToLower(strings.TrimSpace(text))
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if len(words) > 0 && len(words) <= 5 {
		switch words[0] {
		case "hi", "hello", "hey", "yo", "morning", "evening", "howdy", "hiya", "sup":
			return greeting
		}
	}
	for _, w := range words {
		if w == "thanks" || w == "thank" || w == "thx" || w == "ty" {
			return thanks
		}
	}
	if strings.HasSuffix(t, "?") {
		return question
	}
	if len(words) > 0 {
		switch words[0] {
		case "who", "what", "when", "where", "why", "how", "can", "could", "would", "will",
			"is", "are", "do", "does", "did", "should", "shall":
			return question
		}
	}
	return statement
}

// replies are each demo user's answers by kind.
var replies = map[string]map[kind][]string{
	IronMan: {
		greeting:  {"Hey {name}. Make it quick, I've got a suit on the bench.", "{name}! To what do I owe the pleasure?"},
		question:  {"Short answer: yes. Long answer: also yes, with rockets.", "Let me ask JARVIS. ...He says probably.", "Good question, {name}. I'll sleep on it. I don't sleep."},
		thanks:    {"You're welcome. Obviously.", "Anytime, {name}."},
		statement: {"Noted.", "Love it. Ship it.", "Sure thing, {name}.", "I'll add it to the list. It's a long list."},
	},
	CaptainAmerica: {
		greeting:  {"Good to see you, {name}.", "Morning, {name}. Ready when you are.", "Hey {name}. All quiet on this end."},
		question:  {"Good question. Let me check with the team and get back to you.", "I'd say yes, but let's keep it by the book.", "Not sure yet, {name}. Briefing at eleven will settle it."},
		thanks:    {"Anytime, {name}.", "That's what teammates are for."},
		statement: {"Understood.", "Copy that, {name}.", "Sounds like a plan. I'll tell the others.", "I can do this all day."},
	},
	Spiderman: {
		greeting:  {"Hey {name}!! 👋", "Oh hey {name}! What's up?", "heyyy 🕷️"},
		question:  {"Ooh, good one. I think so? Don't quote me.", "Umm, can I phone a friend? (Ned says yes.)", "No idea, but I can find out in like five minutes!"},
		thanks:    {"No problem!! 🙌", "Anytime, {name}!"},
		statement: {"Whoa, cool.", "on it! 🕸️", "Got it, {name}!", "That's awesome. Also, I finished my homework."},
	},
	Wolverine: {
		greeting:  {"{name}.", "Hey, bub.", "Yeah, hi."},
		question:  {"Depends who's asking. Fine, yes.", "Ask me after coffee.", "Nope. Well, maybe."},
		thanks:    {"Don't mention it.", "Yeah, yeah."},
		statement: {"ok", "Heard you, {name}.", "Fine by me.", "Sure, bub."},
	},
	Cyclops: {
		greeting:  {"Hello, {name}. Good to hear from you.", "Hi {name}. Eyes on the mission, as always."},
		question:  {"Let me look into it and report back.", "The Professor would say yes. I'd say carefully yes.", "Good question. I'll bring it up with the team."},
		thanks:    {"Glad to help, {name}.", "Of course."},
		statement: {"Noted.", "Acknowledged, {name}.", "Makes sense. Logan will complain, but it makes sense."},
	},
}

// chatter is what the demo users say to each other unprompted in the
// public group; follow-ups answer a chatter line.
var (
	chatter = map[string][]string{
		IronMan:        {"New suit firmware is out. Please don't press the red button.", "Shawarma later? I'm buying."},
		CaptainAmerica: {"Training at noon. Everyone.", "Reminder: this is a demo workspace. Be nice to each other.", "Who left the shield in the kitchen?", "Good work out there today, team."},
		Spiderman:      {"does anyone know how to get web fluid out of a couch", "brb, saving a cat from a tree 🐈", "Quick poll: pizza or shawarma tonight?", "I'm on patrol. Queens is quiet today."},
		Wolverine:      {"Who ate the last donut.", "Heading out. Don't wait up.", "Someone tell Cyclops the jet's parked crooked again."},
		Cyclops:        {"Jet is fuelled and ready.", "Status check: all systems green.", "Danger Room is free this afternoon if anyone wants a session."},
	}
	followUps = map[string][]string{
		IronMan:        {"Sounds good.", "Classic.", "I'll allow it."},
		CaptainAmerica: {"Copy that.", "Let's keep it tidy, people.", "Good."},
		Spiderman:      {"lol", "same!!", "wait what", "👍"},
		Wolverine:      {"Sure.", "Not it.", "Whatever you say, {name}."},
		Cyclops:        {"Agreed.", "Noted.", "On it."},
	}
	// reactions the demo users use on each other's and the user's messages.
	reactions = []string{"👍", "❤️", "😂", "🔥", "🙌", "👀"}
)

// fill puts the addressee's name into a line.
func fill(line, name string) string { return strings.ReplaceAll(line, "{name}", name) }
