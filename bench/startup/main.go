// Command startup measures how long cometterm takes from process start to
// the first frame that shows the conversation list, on a warm data dir.
//
// It builds the binary (or takes -bin), runs it once to seed the demo
// workspace, then starts `cometterm --data DIR --no-demo --ssh off` N
// times under a real pseudo-terminal, reads the terminal output until the
// text (ANSI stripped) shows a known conversation, and stops the process.
// It prints min, p50, p90 and max of the time to the first frame (the
// status bar) and to the first frame with conversations.
//
//	go run ./bench/startup
//	go run ./bench/startup -bin tmp/cometterm -n 50
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"cometterm/bench/internal/benchbuild"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

type config struct {
	bin, data, want string
	runs            int
	cols, rows      int
	timeout         time.Duration
	verbose         bool
}

func main() {
	var c config
	flag.StringVar(&c.bin, "bin", "", "cometterm binary (empty: go build . into a temporary dir)")
	flag.StringVar(&c.data, "data", "", "data dir to use (empty: a temporary one, seeded by a first run)")
	flag.StringVar(&c.want, "want", "Avengers HQ", "text that marks the first frame with conversations")
	flag.IntVar(&c.runs, "n", 20, "measured starts")
	flag.IntVar(&c.cols, "cols", 120, "terminal width")
	flag.IntVar(&c.rows, "rows", 36, "terminal height")
	flag.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up on one start after this long")
	flag.BoolVar(&c.verbose, "v", false, "print every run")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.runs < 1 {
		return errors.New("-n must be at least 1")
	}
	tmp, err := os.MkdirTemp("", "cometterm-startup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if c.bin == "" {
		if c.bin, err = benchbuild.Binary(context.Background(), filepath.Join(tmp, "cometterm")); err != nil {
			return err
		}
	}
	if c.data == "" {
		c.data = filepath.Join(tmp, "data")
	}
	env := cleanEnv(filepath.Join(tmp, "config"))

	// The warm-up run seeds the demo workspace (and creates the app keys),
	// so every measured run opens an existing data dir.
	if _, err := once(c, env); err != nil {
		return fmt.Errorf("warm-up run: %w", err)
	}
	frames := make([]time.Duration, 0, c.runs)
	convs := make([]time.Duration, 0, c.runs)
	for i := range c.runs {
		d, err := once(c, env)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		if c.verbose {
			fmt.Printf("run %2d  first frame %v  conversations %v\n", i+1,
				d.frame.Round(100*time.Microsecond), d.convs.Round(100*time.Microsecond))
		}
		frames, convs = append(frames, d.frame), append(convs, d.convs)
	}
	fmt.Printf("startup of %s, %d runs, %dx%d, warm data dir\n", c.bin, c.runs, c.cols, c.rows)
	summary("first frame", frames)
	summary(fmt.Sprintf("first frame with %q", c.want), convs)
	return nil
}

func summary(what string, times []time.Duration) {
	slices.Sort(times)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	fmt.Printf("%-34s min %s  p50 %s  p90 %s  max %s\n", what+":",
		ms(times[0]), ms(quantile(times, 0.50)), ms(quantile(times, 0.90)), ms(times[len(times)-1]))
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// cleanEnv is this process's environment without cometterm's own
// settings, with a config dir of its own, so that no user profile points
// the binary at another server.
func cleanEnv(configHome string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "COMETTERM_") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") || strings.HasPrefix(kv, "NO_COLOR=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "XDG_CONFIG_HOME="+configHome, "TERM=xterm-256color")
}

// marks are the times from process start to the first frame and to the
// first frame with conversations.
type marks struct{ frame, convs time.Duration }

// once starts the binary under a pty and returns the times until its
// output shows a frame and c.want; the process is stopped before it
// returns.
func once(c config, env []string) (marks, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	cmd := exec.Command(c.bin, "--data", c.data, "--no-demo", "--ssh", "off")
	cmd.Env = env
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(c.cols), Rows: uint16(c.rows)})
	if err != nil {
		return marks{}, fmt.Errorf("start under a pty: %w", err)
	}
	seen := make(chan marks, 1)
	readDone := make(chan error, 1)
	go func() { readDone <- watch(tty, c.want, start, seen) }()

	var d marks
	select {
	case d = <-seen:
	case err = <-readDone:
		if err == nil {
			err = errors.New("the terminal closed before the conversations showed")
		}
	case <-ctx.Done():
		err = fmt.Errorf("no %q on the screen within %v", c.want, c.timeout)
	}
	if stopErr := stop(cmd, tty, readDone); err == nil && stopErr != nil {
		err = stopErr
	}
	return d, err
}

// watch reads the terminal until it ends, reporting once when the text
// (escape sequences removed) first shows the status bar's "cometterm",
// the first frame, and once when it first contains want.
func watch(r io.Reader, want string, start time.Time, seen chan<- marks) error {
	var raw bytes.Buffer
	buf := make([]byte, 32<<10)
	var mk marks
	reported := false
	for {
		n, err := r.Read(buf)
		if n > 0 && !reported {
			raw.Write(buf[:n])
			text := ansi.Strip(raw.String())
			if mk.frame == 0 && strings.Contains(text, "cometterm") {
				mk.frame = time.Since(start)
			}
			if strings.Contains(text, want) {
				mk.convs = time.Since(start)
				seen <- mk
				reported = true
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) { // EIO: the child side closed
				return nil
			}
			return err
		}
	}
}

// stop ends the process the way a signal from the user would, and kills
// it if it does not exit within five seconds.
func stop(cmd *exec.Cmd, tty *os.File, readDone <-chan error) error {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		err = errors.New("did not exit within 5 s of SIGTERM")
	}
	tty.Close()
	<-readDone
	return err
}
