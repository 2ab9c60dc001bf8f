// Package sshd is the SSH front door: every SSH session gets its own chat
// TUI, logged in as the user named by the SSH user name. It knows nothing
// of chat beyond the UID rules; main hands it a function that builds the
// TUI for a user.
package sshd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	gossh "golang.org/x/crypto/ssh"

	"cometterm/chat"
)

// Accounts is what the SSH door needs from the user store (store.DB).
type Accounts interface {
	User(ctx context.Context, uid string, withDeactivated bool) (chat.User, error)
	CreateUser(ctx context.Context, u chat.User) (chat.User, error)
	BindSSHKey(ctx context.Context, uid, fingerprint string, at int64) error
	SSHKeys(ctx context.Context, uid string) ([]string, error)
}

// SessionFunc builds the TUI for uid; cleanup runs when the session ends.
type SessionFunc func(ctx context.Context, uid string) (m tea.Model, cleanup func(), err error)

// Options configure the SSH server.
type Options struct {
	HostKeyPath string
	// Open lets users without a public key in (keyboard-interactive with no
	// questions), for demos. A UID with a bound key still needs that key.
	Open        bool
	IdleTimeout time.Duration // default 30 minutes
	MaxSessions int           // default 500
	Accounts    Accounts
	NewSession  SessionFunc
	Logger      *slog.Logger
	Now         func() time.Time
	// FrameInterval is how often a session's view is recomputed and drawn
	// at most (default DefaultFrameInterval); negative recomputes it after
	// every update, as Bubble Tea does on its own.
	FrameInterval time.Duration
	// FrameShare is the share of the machine's CPUs that frames caused by
	// chat events may take across sessions (default DefaultFrameShare):
	// those frames are spaced out so that sessions × frame cost stays
	// within it (framePacer). A person's own keys are always drawn within
	// one FrameInterval. Negative: never spaced out.
	FrameShare float64
	// OutputBacklog is how many bytes of frames may wait for a slow
	// client before its frames are skipped (default DefaultOutputBacklog).
	OutputBacklog int
	// CellRenderer draws sessions with Bubble Tea's own renderer instead
	// of the line renderer (see lineRenderer); it is also used whenever
	// FrameInterval is negative.
	CellRenderer bool
}

// Server is a running SSH front door.
type Server struct {
	opts   Options
	srv    *ssh.Server
	active atomic.Int64
	pacer  *framePacer
	log    *slog.Logger

	progMu   sync.Mutex
	programs map[*tea.Program]struct{} // the sessions' running programs, for Shutdown
}

// context keys set during authentication and read by the session. The
// values of keyOutput and keyLines (and keyChannel) are each session's
// own: see channelContext.
type ctxKey string

const (
	keyUID     ctxKey = "cometterm-uid"
	keyProblem ctxKey = "cometterm-problem"
	keyOutput  ctxKey = "cometterm-output"
	keyLines   ctxKey = "cometterm-lines"
)

// New builds the server; Serve starts it.
func New(opts Options) (*Server, error) {
	if opts.Accounts == nil || opts.NewSession == nil {
		return nil, errors.New("sshd: Accounts and NewSession are required")
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 500
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FrameShare == 0 {
		opts.FrameShare = DefaultFrameShare
	}
	s := &Server{opts: opts, log: opts.Logger, programs: map[*tea.Program]struct{}{}}
	base := opts.FrameInterval
	if base <= 0 {
		base = DefaultFrameInterval
	}
	s.pacer = newFramePacer(base, opts.FrameShare, s.active.Load)
	srvOpts := []ssh.Option{
		wish.WithHostKeyPath(opts.HostKeyPath),
		wish.WithIdleTimeout(opts.IdleTimeout),
		wish.WithPublicKeyAuth(s.publicKeyAuth),
		withSessionChannels,
		wish.WithMiddleware(
			s.flushOutput, // innermost: runs once the program has ended
			bm.MiddlewareWithProgramHandler(s.program),
			s.limitSessions,
			activeterm.Middleware(),
			s.reportProblem, // outermost: runs first
		),
	}
	if opts.Open {
		srvOpts = append(srvOpts, wish.WithKeyboardInteractiveAuth(s.keylessAuth))
	}
	srv, err := wish.NewServer(srvOpts...)
	if err != nil {
		return nil, fmt.Errorf("sshd: %w", err)
	}
	s.srv = srv
	return s, nil
}

// Serve accepts SSH connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, asks every session's program to quit (a chat
// session never ends by itself; quitting restores its terminal), waits
// (bounded by ctx) for the sessions to end, then closes the connections
// left: a client may keep its connection open after its session.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.srv.Shutdown(ctx) }()
	s.progMu.Lock()
	for p := range s.programs {
		go p.Quit() // Quit waits for the program's loop
	}
	s.progMu.Unlock()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.active.Load() > 0 && ctx.Err() == nil {
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
	closeErr := s.srv.Close()
	if err := <-done; err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) &&
		!errors.Is(err, ssh.ErrServerClosed) {
		return err
	}
	return closeErr
}

// Active is the number of open chat sessions.
func (s *Server) Active() int { return int(s.active.Load()) }

// uidFor validates the SSH user name as a UID. An invalid name is let in
// so that the session can say plainly what is wrong, then closed.
func (s *Server) uidFor(ctx ssh.Context) (string, bool) {
	uid, err := chat.NormalizeID("uid", ctx.User())
	if err != nil {
		ctx.SetValue(keyProblem, fmt.Sprintf("%q is not a valid user id: use 1 to 100 characters of a-z, 0-9, '-' and '_' (ssh -p PORT yourname@host).", ctx.User()))
		return "", false
	}
	ctx.SetValue(keyUID, uid)
	return uid, true
}

// publicKeyAuth binds a key to a UID on its first login (trust on first
// use); afterwards only a bound key logs in as that UID.
func (s *Server) publicKeyAuth(ctx ssh.Context, key ssh.PublicKey) bool {
	uid, ok := s.uidFor(ctx)
	if !ok {
		return true
	}
	fp := gossh.FingerprintSHA256(key)
	keys, err := s.opts.Accounts.SSHKeys(ctx, uid)
	if err != nil {
		s.log.Error("ssh keys", "uid", uid, "err", err)
		return false
	}
	for _, k := range keys {
		if k == fp {
			return true
		}
	}
	if len(keys) > 0 {
		s.log.Warn("ssh key refused: uid bound to another key", "uid", uid, "fingerprint", fp)
		return false
	}
	if err := s.ensureUser(ctx, uid, ctx.User()); err != nil {
		s.log.Error("ssh user", "uid", uid, "err", err)
		return false
	}
	if err := s.opts.Accounts.BindSSHKey(ctx, uid, fp, s.opts.Now().Unix()); err != nil {
		s.log.Error("bind ssh key", "uid", uid, "err", err)
		return false
	}
	s.log.Info("ssh key bound on first use", "uid", uid, "fingerprint", fp)
	return true
}

// keylessAuth (open mode) lets anyone in as a UID that has no bound key.
func (s *Server) keylessAuth(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
	uid, ok := s.uidFor(ctx)
	if !ok {
		return true
	}
	keys, err := s.opts.Accounts.SSHKeys(ctx, uid)
	if err != nil || len(keys) > 0 {
		return false
	}
	if err := s.ensureUser(ctx, uid, ctx.User()); err != nil {
		s.log.Error("ssh user", "uid", uid, "err", err)
		return false
	}
	return true
}

func (s *Server) reportProblem(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if p, ok := sess.Context().Value(keyProblem).(string); ok {
			wish.Fatalln(sess, p)
			return
		}
		next(sess)
	}
}

func (s *Server) limitSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if n := s.active.Add(1); int(n) > s.opts.MaxSessions {
			s.active.Add(-1)
			wish.Fatalf(sess, "This server is full (%d sessions). Please try again later.\n", s.opts.MaxSessions)
			return
		}
		defer s.active.Add(-1)
		next(sess)
	}
}

// eventPumper is a session model whose events are best handed to its
// program by a goroutine beside it, paced to the session's frames (the
// TUI: see ui.Model.PumpEventsPaced).
type eventPumper interface {
	PumpEventsPaced(send func(tea.Msg), pace func() bool, done <-chan struct{})
}

// queuedOutputFPS is how often a line-rendered session's program sends
// what Bubble Tea queued for the terminal.
const queuedOutputFPS = 10

// program builds the session's program, writing through an outputWriter
// so that a client that stops reading cannot stall it.
func (s *Server) program(sess ssh.Session) *tea.Program {
	m, opts := s.teaHandler(sess)
	if m == nil {
		return nil
	}
	inner := m
	if fc, ok := m.(*frameCap); ok {
		inner = fc.m
	}
	pump, _ := inner.(eventPumper)
	out := newOutputWriter(sessionWriter(sess), s.opts.OutputBacklog)
	sess.Context().SetValue(keyOutput, out)
	// The server's signals are the server's to handle (it closes every
	// session on shutdown), not each session's program's.
	opts = append(append(opts, bm.MakeOptions(sess)...), tea.WithOutput(out), tea.WithoutSignalHandler())
	if fc, ok := m.(*frameCap); ok && !s.opts.CellRenderer {
		if pty, _, hasPTY := sess.Pty(); hasPTY {
			env := append(sess.Environ(), "TERM="+pty.Term)
			lr := newLineRenderer(out, colorprofile.Env(env), pty.Window.Width, pty.Window.Height)
			fc.st.lines = lr
			sess.Context().SetValue(keyLines, lr)
			out.setResync(lr.invalidate)
			// Bubble Tea's clock then only sends its queued sequences
			// (terminal queries, clipboard): ten times a second is soon
			// enough, and hundreds of idle sessions wake less.
			// The session's input is read beside the program rather than
			// by it (see readInput): these options replace MakeOptions'
			// input and filter.
			p := tea.NewProgram(m, append(opts, tea.WithoutRenderer(), tea.WithFPS(queuedOutputFPS),
				tea.WithInput(nil), tea.WithFilter(sessionFilter()))...)
			go readInput(sess.Context(), sess, p.Send, uv.DefaultEscTimeout)
			return s.started(p, sess, pump, fc)
		}
	}
	// Bubble Tea's renderer sets up no keyboard protocol for a program
	// without input of its own, so the programs it draws read the session.
	p := tea.NewProgram(m, opts...)
	// Send waits for the program's loop, and the writer must not.
	out.setResync(func() { go p.Send(tea.ClearScreen()) })
	fc, _ := m.(*frameCap)
	return s.started(p, sess, pump, fc)
}

// started starts the event pump of a session's program, if its model has
// one (paced by fc's frames when there is a frame cap), and keeps the
// program for Shutdown while the session lasts.
func (s *Server) started(p *tea.Program, sess ssh.Session, pump eventPumper, fc *frameCap) *tea.Program {
	if pump != nil {
		var pace func() bool
		if fc != nil {
			pace = fc.st.pace(sess.Context().Done())
		}
		pump.PumpEventsPaced(p.Send, pace, sess.Context().Done())
	}
	s.progMu.Lock()
	s.programs[p] = struct{}{}
	s.progMu.Unlock()
	context.AfterFunc(sess.Context(), func() {
		s.progMu.Lock()
		delete(s.programs, p)
		s.progMu.Unlock()
	})
	return p
}

// flushOutput sends the program's last frames (which restore the
// terminal) before the session closes.
func (s *Server) flushOutput(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if lr, ok := sess.Context().Value(keyLines).(*lineRenderer); ok {
			lr.close()
		}
		if out, ok := sess.Context().Value(keyOutput).(*outputWriter); ok {
			out.Close(2 * time.Second)
			if n := out.Skipped(); n > 0 {
				s.log.Info("ssh session: frames skipped for a slow client", "frames", n)
			}
		}
		next(sess)
	}
}

func (s *Server) teaHandler(sess ssh.Session) (tea.Model, []tea.ProgramOption) {
	uid, _ := sess.Context().Value(keyUID).(string)
	m, cleanup, err := s.opts.NewSession(sess.Context(), uid)
	if err != nil {
		s.log.Error("ssh session", "uid", uid, "err", err)
		wish.Errorln(sess, "Could not open the chat:", err)
		return nil, nil
	}
	context.AfterFunc(sess.Context(), cleanup) // no goroutine waits for it
	s.log.Info("ssh session", "uid", uid, "remote", sess.RemoteAddr().String())
	if s.opts.FrameInterval < 0 {
		return m, nil
	}
	var load func() time.Duration
	if s.opts.FrameShare > 0 {
		load = s.pacer.interval
	}
	fc := newFrameCap(m, s.opts.FrameInterval, load, s.opts.Now)
	if load != nil {
		fc.st.observe = s.pacer.observe
	}
	return fc, []tea.ProgramOption{tea.WithFPS(int(time.Second / fc.st.interval))}
}

// ensureUser creates uid on its first SSH login, with the SSH name as the
// display name. A deactivated user is not brought back.
func (s *Server) ensureUser(ctx context.Context, uid, name string) error {
	_, err := s.opts.Accounts.User(ctx, uid, true)
	if err == nil {
		return nil
	}
	if !chat.HasCode(err, chat.ErrUIDNotFound) {
		return err
	}
	now := s.opts.Now().Unix()
	_, err = s.opts.Accounts.CreateUser(ctx, chat.User{UID: uid, Name: name, Role: chat.DefaultRole, CreatedAt: now, UpdatedAt: now})
	if chat.HasCode(err, chat.ErrUIDAlreadyExists) {
		return nil // created by a concurrent first login
	}
	return err
}
