package appconn

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
)

// connector makes database/sql connections that send every statement to
// one session.
type connector struct{ session *Session }

func (c connector) Connect(context.Context) (driver.Conn, error) {
	return &conn{session: c.session}, nil
}
func (c connector) Driver() driver.Driver { return bridgeDriver{} }

// bridgeDriver exists because database/sql asks a connector for its driver;
// connections only ever come from a connector.
type bridgeDriver struct{}

func (bridgeDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("pyriver: application connections are opened by a session")
}

// conn is the application's connection as database/sql sees it.
type conn struct{ session *Session }

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
	statement, err := newStatement(c.session.dialect, query, args, returnsRows)
	if err != nil {
		return nil, err
	}
	reply, err := c.session.execute(ctx, statement)
	if err != nil {
		return nil, err
	}
	if err := reply.decode(c.session.dialect); err != nil {
		return nil, err
	}
	return reply, nil
}

// CheckNamedValue accepts what database/sql's default conversion gives
// (River's lib/pq array wrappers become their text form); the statement's
// encoding then sends each value to Python.
func (c *conn) CheckNamedValue(value *driver.NamedValue) error {
	converted, err := driver.DefaultParameterConverter.ConvertValue(value.Value)
	if err != nil {
		return err
	}
	value.Value = converted
	return nil
}

// Prepare is never used by River through ExecContext/QueryContext, but
// database/sql requires it; a prepared statement simply runs later.
func (c *conn) Prepare(query string) (driver.Stmt, error) { return &stmt{conn: c, query: query}, nil }

// BeginTx opens nothing: the application's transaction is already open (or
// the application's driver opens one implicitly, as for its own statements).
func (c *conn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return applicationTx{}, nil
}

func (c *conn) Begin() (driver.Tx, error) { return applicationTx{}, nil }

func (c *conn) Close() error { return nil }

func (c *conn) ResetSession(context.Context) error { return nil }

func (c *conn) IsValid() bool { return true }

// applicationTx stands for the application's transaction, which only the
// application commits or rolls back.
type applicationTx struct{}

func (applicationTx) Commit() error   { return nil }
func (applicationTx) Rollback() error { return nil }

type stmt struct {
	conn  *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.conn.ExecContext(context.Background(), s.query, named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.conn.QueryContext(context.Background(), s.query, named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	values := make([]driver.NamedValue, len(args))
	for i, arg := range args {
		values[i] = driver.NamedValue{Ordinal: i + 1, Value: arg}
	}
	return values
}

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
