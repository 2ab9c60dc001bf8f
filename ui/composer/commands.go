package composer

import (
	"fmt"
	"strings"

	"cometterm/chat"
	"cometterm/ui/common"
)

// CommandSpec describes one slash command for parsing, completion and help.
type CommandSpec struct {
	Name string
	Args string // usage after the name
	Help string
	Min  int // required arguments
	Max  int // most arguments; -1 for any number
	// Rest makes the last argument the raw remainder of the line (text).
	Rest bool
	// check validates the arguments beyond their count.
	check func(args []string) error
	// complete says what each argument completes to; the last kind
	// repeats for commands that take any number.
	complete []argKind
}

// argKind is what an argument of a command completes to.
type argKind int

const (
	argNone      argKind = iota
	argUID               // someone in the open conversation
	argUser              // anyone: the directory of users, then the conversation's people
	argNewMember         // anyone in the directory who is not in the conversation
	argScope
	argGroupType
)

// Usage is "/name args".
func (c CommandSpec) Usage() string {
	if c.Args == "" {
		return "/" + c.Name
	}
	return "/" + c.Name + " " + c.Args
}

// Commands is every slash command, in the order help lists them.
var Commands = []CommandSpec{
	{Name: "msg", Args: "<uid> [text]", Help: "open a direct chat (and send text)", Min: 1, Max: 2, Rest: true, complete: []argKind{argUser, argNone}},
	{Name: "join", Args: "<guid> [password]", Help: "join a group", Min: 1, Max: 2},
	{Name: "leave", Help: "leave this group", Max: 0},
	{Name: "create", Args: "<guid> <name> [public|password|private] [password]", Help: "create a group", Min: 2, Max: 4, check: checkCreate, complete: []argKind{argNone, argNone, argGroupType, argNone}},
	{Name: "add", Args: "<uid>…", Help: "add members to this group", Min: 1, Max: -1, complete: []argKind{argNewMember}},
	{Name: "kick", Args: "<uid>", Help: "kick a member", Min: 1, Max: 1, complete: []argKind{argUID}},
	{Name: "ban", Args: "<uid>", Help: "ban a member", Min: 1, Max: 1, complete: []argKind{argUID}},
	{Name: "unban", Args: "<uid>", Help: "unban a user", Min: 1, Max: 1, complete: []argKind{argUser}},
	{Name: "scope", Args: "<uid> <admin|moderator|participant>", Help: "change a member's scope", Min: 2, Max: 2, check: checkScope, complete: []argKind{argUID, argScope}},
	{Name: "react", Args: "<emoji>", Help: "react to the selected or last message", Min: 1, Max: 1},
	{Name: "edit", Args: "<text>", Help: "edit the selected or your last message", Min: 1, Max: 1, Rest: true},
	{Name: "delete", Help: "delete the selected or your last message", Max: 0},
	{Name: "thread", Help: "open the thread of the selected or last message", Max: 0},
	{Name: "block", Args: "<uid>", Help: "block a user", Min: 1, Max: 1, complete: []argKind{argUser}},
	{Name: "unblock", Args: "<uid>", Help: "unblock a user", Min: 1, Max: 1, complete: []argKind{argUser}},
	{Name: "info", Help: "delivery and read info of the selected message", Max: 0},
	{Name: "help", Help: "list commands and keys", Max: 0},
	{Name: "quit", Help: "quit", Max: 0},
}

func lookup(name string) (CommandSpec, bool) {
	for _, c := range Commands {
		if c.Name == name {
			return c, true
		}
	}
	return CommandSpec{}, false
}

// ParseCommand turns "/name args…" into a Command, or says plainly what is
// wrong with it. Arguments split on spaces; "double quotes" keep spaces.
func ParseCommand(line string) (common.Command, error) {
	line = strings.TrimSpace(line)
	body, ok := strings.CutPrefix(line, "/")
	if !ok || body == "" {
		return common.Command{}, fmt.Errorf("type a command after /, or /help")
	}
	name, rest, _ := strings.Cut(body, " ")
	spec, ok := lookup(name)
	if !ok {
		return common.Command{}, fmt.Errorf("unknown command /%s (try /help)", name)
	}
	var args []string
	if spec.Rest {
		args = splitRest(rest, spec.Max)
	} else {
		var err error
		if args, err = splitArgs(rest); err != nil {
			return common.Command{}, err
		}
	}
	if len(args) < spec.Min || (spec.Max >= 0 && len(args) > spec.Max) {
		return common.Command{}, fmt.Errorf("usage: %s", spec.Usage())
	}
	if spec.check != nil {
		if err := spec.check(args); err != nil {
			return common.Command{}, err
		}
	}
	return common.Command{Name: name, Args: args, Raw: line}, nil
}

// splitRest splits the first n-1 words off and keeps the remainder whole.
func splitRest(s string, n int) []string {
	var out []string
	s = strings.TrimLeft(s, " ")
	for len(out) < n-1 && s != "" {
		w, r, _ := strings.Cut(s, " ")
		out = append(out, w)
		s = strings.TrimLeft(r, " ")
	}
	if s = strings.TrimRight(s, " \n"); s != "" {
		out = append(out, s)
	}
	return out
}

func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, have = !inQuote, true
		case (r == ' ' || r == '\n' || r == '\t') && !inQuote:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("a quote is not closed")
	}
	if have {
		out = append(out, cur.String())
	}
	return out, nil
}

func checkScope(args []string) error {
	if !chat.Scope(args[1]).Valid() {
		return fmt.Errorf("scope must be admin, moderator or participant, not %q", args[1])
	}
	return nil
}

func checkCreate(args []string) error {
	if len(args) < 3 {
		return nil
	}
	t, ok := chat.ParseGroupType(args[2])
	if !ok {
		return fmt.Errorf("group type must be public, password or private, not %q", args[2])
	}
	if t == chat.GroupPassword && len(args) < 4 {
		return fmt.Errorf("a password group needs a password: /create %s %s password <password>", args[0], quote(args[1]))
	}
	if t != chat.GroupPassword && len(args) == 4 {
		return fmt.Errorf("only password groups take a password")
	}
	return nil
}

func quote(s string) string {
	if strings.Contains(s, " ") {
		return `"` + s + `"`
	}
	return s
}

// completeCommands lists the commands whose name starts with prefix.
func completeCommands(prefix string) []CommandSpec {
	var out []CommandSpec
	for _, c := range Commands {
		if strings.HasPrefix(c.Name, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// argKindAt is what the argument at index i of command name completes to.
func argKindAt(name string, i int) argKind {
	spec, ok := lookup(name)
	if !ok || len(spec.complete) == 0 {
		return argNone
	}
	if i >= len(spec.complete) {
		if spec.Max >= 0 {
			return argNone
		}
		i = len(spec.complete) - 1
	}
	return spec.complete[i]
}
