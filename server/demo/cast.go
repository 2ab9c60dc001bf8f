package demo

import "cometterm/chat"

// Uids of the cast. Me is the user the TUI logs in as.
const (
	IronMan         = "superhero1"
	CaptainAmerica  = "superhero2"
	Spiderman       = "superhero3"
	Wolverine       = "superhero4"
	Cyclops         = "superhero5"
	DefaultMe       = IronMan
	avatarBase      = "https://data-us.cometchat.io/assets/images/avatars/"
	demoStatusTrail = " · demo user"
)

// Guids of the demo groups, one of each type.
const (
	Avengers  = "avengers"   // public, owner Iron Man, Captain America admin
	ShieldOps = "shield-ops" // password group Iron Man is not in
	StarkLab  = "stark-lab"  // private
)

// ShieldOpsPassword opens the password group; the README tells it.
const ShieldOpsPassword = "helicarrier"

// seededKey in Iron Man's metadata marks a completed seed. It is written
// last, so a seed interrupted half-way is finished on the next start.
const seededKey = "demoSeededAt"

// persona is one demo user: who they are in the store, and how they talk.
type persona struct {
	user chat.User
	// nick is how the others address them in chat.
	nick string
}

func cast() []persona {
	mk := func(uid, name, avatar, role, status, nick string, team string, tags ...string) persona {
		return persona{
			nick: nick,
			user: chat.User{
				UID:           uid,
				Name:          name,
				Avatar:        avatarBase + avatar,
				Role:          role,
				StatusMessage: status + demoStatusTrail,
				Metadata: map[string]any{
					"demo": true,
					"team": team,
					"note": "A demo account: the messages it sends are generated for the cometterm demo.",
				},
				Tags: append([]string{"demo"}, tags...),
			},
		}
	}
	return []persona{
		mk(IronMan, "Iron Man", "ironman.png", "avenger", "Genius, billionaire, philanthropist", "Tony", "Avengers", "engineer"),
		mk(CaptainAmerica, "Captain America", "captainamerica.png", "avenger", "I can do this all day", "Cap", "Avengers", "leader"),
		mk(Spiderman, "Spiderman", "spiderman.png", "avenger", "Friendly neighbourhood hero", "Peter", "Avengers", "rookie"),
		mk(Wolverine, "Wolverine", "wolverine.png", "xmen", "Best there is at what I do", "Logan", "X-Men", "mutant"),
		mk(Cyclops, "Cyclops", "cyclops.png", "xmen", "Eyes on the mission", "Scott", "X-Men", "mutant"),
	}
}

// groupSpec is one demo group with its members beyond the owner.
type groupSpec struct {
	group    chat.Group
	password string
	// joined are members who joined themselves; added were added by the owner.
	joined []string
	added  []string
}

func groups() []groupSpec {
	return []groupSpec{
		{
			group: chat.Group{
				GUID: Avengers, Name: "Avengers HQ", Type: chat.GroupPublic, Owner: IronMan,
				Icon:        avatarBase + "ironman.png",
				Description: "Demo group: the team's open channel. Anyone can join.",
				Metadata:    map[string]any{"demo": true},
				Tags:        []string{"demo", "team"},
			},
			joined: []string{CaptainAmerica, Spiderman, Wolverine},
			added:  []string{Cyclops},
		},
		{
			group: chat.Group{
				GUID: ShieldOps, Name: "Shield Ops", Type: chat.GroupPassword, Owner: CaptainAmerica,
				Description: "Demo group: password-protected. The password is " + ShieldOpsPassword + ".",
				Metadata:    map[string]any{"demo": true},
				Tags:        []string{"demo", "ops"},
			},
			password: ShieldOpsPassword,
			joined:   []string{Wolverine, Cyclops},
		},
		{
			group: chat.Group{
				GUID: StarkLab, Name: "Stark Lab", Type: chat.GroupPrivate, Owner: IronMan,
				Description: "Demo group: private, members are added by an admin.",
				Metadata:    map[string]any{"demo": true},
				Tags:        []string{"demo", "lab"},
			},
			added: []string{Spiderman},
		},
	}
}
