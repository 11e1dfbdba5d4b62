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
	"syscall"
)

// Session is one River operation running on the application's connection.
// The operation runs on its own goroutine; every statement it makes waits
// for Python, which takes it with Take and answers with Reply.
//
// Python waits for each step on a pipe (ReadyFD), outside Go, and only then
// calls Take, which never blocks. Blocking in Go instead would park the
// calling thread, which Go locks to the goroutine serving a call from C, and
// waking a locked thread takes several operating-system hand-offs: 100 to
// 300 µs per step on a virtual machine, more than River's own work.
type Session struct {
	dialect    Dialect
	statements chan *Statement
	replies    chan *Reply
	done       chan struct{}
	cancel     context.CancelFunc
	readyRead  int
	readyWrite int

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
	var ready [2]int
	if err := syscall.Pipe(ready[:]); err != nil {
		return nil, err
	}
	syscall.CloseOnExec(ready[0])
	syscall.CloseOnExec(ready[1])
	ctx, cancel := context.WithCancel(context.Background())
	session := &Session{
		dialect:    dialect,
		statements: make(chan *Statement, 1),
		replies:    make(chan *Reply, 1),
		done:       make(chan struct{}),
		cancel:     cancel,
		readyRead:  ready[0],
		readyWrite: ready[1],
	}
	go session.run(ctx, operation)
	return session, nil
}

func (s *Session) run(ctx context.Context, operation Operation) {
	defer s.signalReady()
	defer close(s.done)
	db := sql.OpenDB(connector{session: s})
	defer db.Close()
	// One connection: every statement of the operation is the application's.
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		s.result = operation(ctx, nil)
		return
	}
	s.result = operation(ctx, tx)
	_ = tx.Rollback() // a no-op on the application's connection: it only releases database/sql's hold
}

// ReadyFD is the read end of a pipe that receives one byte each time a step
// (a statement, or the end) is ready to Take.
func (s *Session) ReadyFD() int { return s.readyRead }

func (s *Session) signalReady() {
	_, _ = syscall.Write(s.readyWrite, []byte{1}) // the pipe holds far more than one session's steps
}

// Step is what Python gets back from the session: the next statement to run,
// or, when the operation has finished, its result.
type Step struct {
	Statement *Statement
	// Result is the operation's response envelope once Statement is nil.
	Result []byte
}

// Take returns the step that ReadyFD announced. It blocks only if called
// before the announcement.
func (s *Session) Take() Step {
	select {
	case statement := <-s.statements:
		return Step{Statement: statement}
	case <-s.done:
		return Step{Result: s.result}
	}
}

// Reply answers the statement Take returned; the next step is announced on
// ReadyFD.
func (s *Session) Reply(reply *Reply) {
	s.replies <- reply // buffered: the operation is waiting for exactly this reply
}

// Close ends the session: an operation still waiting for a statement fails,
// Close waits until River has returned (so nothing runs on the application's
// connection afterwards), and the pipe is closed.
func (s *Session) Close() {
	s.cancel()
	<-s.done
	_ = syscall.Close(s.readyRead)
	_ = syscall.Close(s.readyWrite)
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
