package appconn

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync/atomic"
)

// connector makes database/sql connections that send each statement to the
// session of the statement's context.
type connector struct{}

func (connector) Connect(context.Context) (driver.Conn, error) { return &conn{}, nil }
func (connector) Driver() driver.Driver                        { return bridgeDriver{} }

// bridgeDriver exists because database/sql asks a connector for its driver;
// connections only ever come from a connector.
type bridgeDriver struct{}

func (bridgeDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("pyriver: application connections are opened by a session")
}

var errNoSession = errors.New("pyriver: a statement outside an operation on the application's connection")

// conn is the application's connection as database/sql sees it.
type conn struct{}

var (
	_ driver.ExecerContext     = (*conn)(nil)
	_ driver.QueryerContext    = (*conn)(nil)
	_ driver.ConnBeginTx       = (*conn)(nil)
	_ driver.NamedValueChecker = (*conn)(nil)
	_ driver.SessionResetter   = (*conn)(nil)
	_ driver.Validator         = (*conn)(nil)
)

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	reply, err := c.run(ctx, query, args, false)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(reply.RowsAffected), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	reply, err := c.run(ctx, query, args, true)
	if err != nil {
		return nil, err
	}
	return &rows{reply: reply}, nil
}

func (c *conn) run(ctx context.Context, query string, args []driver.NamedValue, returnsRows bool) (*Reply, error) {
	operation, ok := statementsFrom(ctx)
	if !ok {
		return nil, errNoSession
	}
	statement, err := newStatement(operation.dialect, query, args, returnsRows)
	if err != nil {
		return nil, err
	}
	reply, err := operation.execute(ctx, statement)
	if err != nil {
		return nil, err
	}
	if reply.Error != "" {
		return nil, &DatabaseError{Message: reply.Error}
	}
	if err := reply.decode(operation.dialect); err != nil {
		return nil, err
	}
	return reply, nil
}

// CheckNamedValue accepts what database/sql's default conversion gives
// (River's lib/pq array wrappers become their text form); the statement's
// encoding then sends each value to Python.
func (c *conn) CheckNamedValue(value *driver.NamedValue) error {
	if text, ok := arrayText(value.Value); ok {
		value.Value = text
		return nil
	}
	converted, err := driver.DefaultParameterConverter.ConvertValue(value.Value)
	if err != nil {
		return err
	}
	value.Value = converted
	return nil
}

// Prepare is never used by River, which runs statements with ExecContext
// and QueryContext, but database/sql requires it; a prepared statement
// simply runs later, in the session of its execution's context.
func (c *conn) Prepare(query string) (driver.Stmt, error) { return &stmt{conn: c, query: query}, nil }

// BeginTx opens nothing: the application's transaction is already open (or
// the application's driver opens one implicitly, as for its own statements).
func (c *conn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	ended, _ := ctx.Value(endedKey{}).(*atomic.Bool)
	return applicationTx{ended: ended}, nil
}

func (c *conn) Begin() (driver.Tx, error) { return applicationTx{}, nil }

func (c *conn) Close() error { return nil }

func (c *conn) ResetSession(context.Context) error { return nil }

func (c *conn) IsValid() bool { return true }

// applicationTx stands for the application's transaction, which only the
// application commits or rolls back. Ending it only records that
// database/sql's transaction is over (see bridgeTx).
type applicationTx struct{ ended *atomic.Bool }

func (t applicationTx) Commit() error   { return t.end() }
func (t applicationTx) Rollback() error { return t.end() }

func (t applicationTx) end() error {
	if t.ended != nil {
		t.ended.Store(true)
	}
	return nil
}

type stmt struct {
	conn  *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.conn.ExecContext(ctx, s.query, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.conn.QueryContext(ctx, s.query, args)
}

// Exec and Query have no context, hence no session; database/sql calls the
// ...Context forms when they exist.
func (s *stmt) Exec([]driver.Value) (driver.Result, error) { return nil, errNoSession }

func (s *stmt) Query([]driver.Value) (driver.Rows, error) { return nil, errNoSession }

// rows reads a reply's rows, already decoded to driver values.
type rows struct {
	reply *Reply
	next  int
}

func (r *rows) Columns() []string { return r.reply.Columns }
func (r *rows) Close() error      { return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.next >= len(r.reply.values) {
		return io.EOF
	}
	copy(dest, r.reply.values[r.next])
	r.next++
	return nil
}
