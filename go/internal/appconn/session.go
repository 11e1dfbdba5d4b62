// Package appconn runs River's own code on a database connection that the
// Python application holds (a psycopg connection, a SQLAlchemy session, a
// sqlite3 connection...), inside the application's transaction.
//
// River's riverdatabasesql and riversqlite drivers run on database/sql. The
// driver in this package gives them a connection that talks to no database:
// each statement River sends is parked on a Session until Python, which
// holds the real connection, runs it and replies with its rows or error.
// Nothing calls into Python: Python pulls statements one at a time (the same
// pull model as the worker bridge), so the GIL is never held by Go and an
// asyncio application can await each statement on its own event loop.
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

// errAborted ends a statement whose session Python abandoned (an exception
// in Python while the statement was outstanding, for example).
var errAborted = errors.New("pyriver: the operation on the application's connection was abandoned")

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
	go session.run(context.WithValue(ctx, sessionKey{}, session), operation)
	return session, nil
}

type sessionKey struct{}

// sessionFrom returns the session a statement's context belongs to.
func sessionFrom(ctx context.Context) (*Session, bool) {
	session, ok := ctx.Value(sessionKey{}).(*Session)
	return session, ok
}

// bridgeDB is the database/sql pool every session's transaction comes from.
// Its connections hold no state: each statement goes to the session in its
// context, so one pool serves all sessions without opening one per call.
var bridgeDB = func() *sql.DB { //nolint:gochecknoglobals // one pool of stateless connections
	db := sql.OpenDB(connector{})
	db.SetMaxIdleConns(64)
	return db
}()

func (s *Session) run(ctx context.Context, operation Operation) {
	defer s.signalReady()
	defer close(s.done)
	tx, err := bridgeDB.BeginTx(ctx, nil)
	if err != nil {
		s.result = operation(ctx, nil)
		return
	}
	s.result = operation(ctx, tx)
	_ = tx.Rollback() // a no-op on the application's connection: it only releases database/sql's hold
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
		return nil, errAborted
	}
	select {
	case reply := <-s.replies:
		if reply.Error != "" {
			return nil, &DatabaseError{Message: reply.Error}
		}
		return reply, nil
	case <-ctx.Done():
		return nil, errAborted
	}
}

// DatabaseError is an error the application's database driver raised for a
// statement. Python keeps the original exception; this carries its text so
// that River's error wraps something meaningful.
type DatabaseError struct{ Message string }

func (e *DatabaseError) Error() string { return e.Message }
