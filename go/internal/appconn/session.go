// Package appconn runs River's own code on a database connection that the
// Python application holds (a psycopg connection, a SQLAlchemy session, a
// sqlite3 connection...), inside the application's transaction.
//
// River's riverdatabasesql and riversqlite drivers run on database/sql. The
// driver in this package gives them a connection that talks to no database:
// each statement River sends goes to Python, which holds the real
// connection, runs it and replies with its rows or error. Two ways:
//
//   - Run: River runs on the goroutine of Python's call and hands each
//     statement to a function that calls Python back on that same thread
//     (package pycall). No thread hand-off at all: the fast path.
//   - Start: River runs on a goroutine of its own and each statement is
//     parked on a Session until Python pulls it (the worker bridge's pull
//     model). The fallback where CPython's C API cannot be reached.
package appconn

import (
	"context"
	"database/sql"
	"errors"
)

// Session is one River operation running on the application's connection.
// The operation runs on its own goroutine; every statement it makes waits
// for Python, which gets it from Next and answers with Reply.
//
// Next waits for each step in a read on a pipe, not on a channel. The caller
// is a call from C, whose goroutine Go locks to the calling thread: parked
// on a channel, that thread would need several operating-system hand-offs to
// be woken (100 to 300 µs per step on a virtual machine, more than River's
// own work), while a thread blocked in read(2) is woken by the kernel once.
type Session struct {
	dialect    Dialect
	statements chan *Statement
	replies    chan *Reply
	done       chan struct{}
	cancel     context.CancelFunc
	ready      *pipe

	// result is the operation's outcome, set before done is closed.
	result []byte
}

// Operation is the River work a session runs, given a database/sql
// transaction that is really the application's open transaction.
type Operation func(ctx context.Context, tx *sql.Tx) []byte

// ErrAbandoned ends a statement of an operation Python abandoned (an
// exception in Python while the statement was outstanding, for example).
var ErrAbandoned = errors.New("pyriver: the operation on the application's connection was abandoned")

// Start runs operation on a new session. The operation's own transaction
// (BEGIN/COMMIT through database/sql) is a no-op: the application owns the
// real one and pyriver never commits or rolls it back.
func Start(dialect Dialect, operation Operation) (*Session, error) {
	ready, err := takePipe()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	session := &Session{
		dialect:    dialect,
		statements: make(chan *Statement, 1),
		replies:    make(chan *Reply, 1),
		done:       make(chan struct{}),
		cancel:     cancel,
		ready:      ready,
	}
	go session.run(ctx, operation)
	return session, nil
}

type statementsKey struct{}

// statements is how an operation's statements reach the application's
// connection: parked for Python to pull (Session) or handed to Python on
// the calling thread (Run).
type statements struct {
	dialect Dialect
	execute func(ctx context.Context, statement *Statement) (*Reply, error)
}

// statementsFrom returns how the operation of a statement's context runs its
// statements.
func statementsFrom(ctx context.Context) (*statements, bool) {
	found, ok := ctx.Value(statementsKey{}).(*statements)
	return found, ok
}

// Run runs operation on the calling goroutine, giving each statement to
// execute, which runs it on the application's connection before returning
// (from Python on this same thread: see package pycall). No other goroutine
// and no hand-off between threads is involved.
func Run(ctx context.Context, dialect Dialect, execute func(*Statement) (*Reply, error), operation Operation) []byte {
	run := &statements{dialect: dialect, execute: func(_ context.Context, statement *Statement) (*Reply, error) {
		return execute(statement)
	}}
	return runOperation(context.WithValue(ctx, statementsKey{}, run), operation)
}

func (s *Session) run(ctx context.Context, operation Operation) {
	defer s.signalReady()
	defer close(s.done)
	s.result = runOperation(context.WithValue(ctx, statementsKey{}, &statements{dialect: s.dialect, execute: s.execute}), operation)
}

func (s *Session) signalReady() { s.ready.signal() }

// Step is what Python gets back from the session: the next statement to run,
// or, when the operation has finished, its result.
type Step struct {
	Statement *Statement
	// Result is the operation's response envelope once Statement is nil.
	Result []byte
}

// Next waits for the operation's next statement, or its end.
func (s *Session) Next() Step {
	s.ready.wait()
	select {
	case statement := <-s.statements:
		return Step{Statement: statement}
	case <-s.done:
		return Step{Result: s.result}
	}
}

// Reply answers the statement Next returned and waits for the next step.
func (s *Session) Reply(reply *Reply) Step {
	s.replies <- reply // buffered: the operation is waiting for exactly this reply
	return s.Next()
}

// Close ends the session: an operation still waiting for a statement fails,
// and Close waits until River has returned, so that nothing runs on the
// application's connection afterwards.
func (s *Session) Close() {
	finished := s.isDone()
	s.cancel()
	<-s.done
	if finished {
		givePipe(s.ready) // every signal was waited for: the pipe is empty
	} else {
		s.ready.close()
	}
}

func (s *Session) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// execute hands a statement to Python and waits for the reply.
func (s *Session) execute(ctx context.Context, statement *Statement) (*Reply, error) {
	select {
	case s.statements <- statement:
		s.signalReady()
	case <-ctx.Done():
		return nil, ErrAbandoned
	}
	select {
	case reply := <-s.replies:
		return reply, nil
	case <-ctx.Done():
		return nil, ErrAbandoned
	}
}

// DatabaseError is an error the application's database driver raised for a
// statement. Python keeps the original exception; this carries its text so
// that River's error wraps something meaningful.
type DatabaseError struct{ Message string }

func (e *DatabaseError) Error() string { return e.Message }
