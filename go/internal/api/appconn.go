package api

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/appconn"
	"github.com/pyriver/pyriver/go/internal/dburl"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// Operations on the application's own connection. Python starts one with
// app.call, naming an ordinary method (insert_many, job_get...) and its
// request; River runs it on the application's transaction through package
// appconn. Each call returns a step: a statement for Python to run on its
// connection and answer with app.reply, or the method's result. A call waits
// only for River's own work, never for the database. app.close ends a
// session early.
func init() {
	rpc.Register("app.call", rpc.Typed(appCall))
	rpc.Register("app.reply", rpc.Typed(appReply))
	rpc.Register("app.close", rpc.Typed(appClose))
	rpc.Register("app.sqlite_file_in_use", rpc.Typed(sqliteFileInUse))
}

// appMethods are the methods River offers on a transaction (its ...Tx forms).
var appMethods = map[string]bool{ //nolint:gochecknoglobals
	"insert_many": true, "insert_many_fast": true,
	"job_get": true, "job_cancel": true, "job_delete": true, "job_retry": true, "job_list": true, "job_delete_many": true,
	"queue_get": true, "queue_list": true, "queue_pause": true, "queue_resume": true, "queue_update": true,
	"migrate": true, "migrate_validate": true, "migrate_versions": true,
}

var appSessions = engine.NewRegistry[*appconn.Session]("operation on the application's connection") //nolint:gochecknoglobals

type appTxKey struct{}

// appTxFrom returns the application transaction an operation runs in, if any.
func appTxFrom(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(appTxKey{}).(*sql.Tx)
	return tx
}

type appDialectWire struct {
	Database string `json:"database"` // "postgres" or "sqlite"
	Pyformat bool   `json:"pyformat"`
}

type appCallRequest struct {
	clientRequest
	Dialect appDialectWire  `json:"dialect"`
	Method  string          `json:"method"`
	Request json.RawMessage `json:"request"`
}

type appStatementWire struct {
	SQL         string `json:"sql"`
	Args        []any  `json:"args"`
	ReturnsRows bool   `json:"returns_rows"`
}

// appStepWire is either the next statement (with the session to reply to)
// or the finished method's response envelope.
type appStepWire struct {
	Session   uint64            `json:"session,omitempty"`
	Statement *appStatementWire `json:"statement,omitempty"`
	Result    json.RawMessage   `json:"result,omitempty"`
}

func appCall(_ context.Context, req *appCallRequest) (*appStepWire, error) {
	if !appMethods[req.Method] {
		return nil, apierr.Invalid("method", "%q cannot run on an application connection", req.Method)
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	dialect := appconn.Dialect{SQLite: req.Dialect.Database == "sqlite", Pyformat: req.Dialect.Pyformat}
	if dialect.SQLite != client.SQLite() {
		return nil, apierr.Invalid("conn", "%s", dialectMismatch(client.SQLite()))
	}
	session, err := appconn.Start(dialect, func(ctx context.Context, tx *sql.Tx) []byte {
		return rpc.CallContext(context.WithValue(ctx, appTxKey{}, tx), req.Method, req.Request)
	})
	if err != nil {
		return nil, apierr.New(apierr.Internal, "cannot start an operation on the application's connection: %v", err)
	}
	handle := appSessions.Add(session)
	return appStep(handle, session, session.Next()), nil
}

func dialectMismatch(clientOnSQLite bool) string {
	if clientOnSQLite {
		return "the connection is to PostgreSQL but the client's database is SQLite"
	}
	return "the connection is to SQLite but the client's database is PostgreSQL"
}

type appSessionRequest struct {
	Session uint64 `json:"session"`
}

// appStep encodes a step; a finished session is closed.
func appStep(handle uint64, session *appconn.Session, step appconn.Step) *appStepWire {
	if step.Statement == nil {
		appSessions.Remove(handle)
		session.Close()
		return &appStepWire{Result: step.Result}
	}
	statement := step.Statement
	return &appStepWire{Session: handle, Statement: &appStatementWire{SQL: statement.SQL, Args: statement.Args, ReturnsRows: statement.ReturnsRows}}
}

type appReplyRequest struct {
	Session      uint64   `json:"session"`
	Columns      []string `json:"columns"`
	OIDs         []uint32 `json:"oids"`
	Rows         [][]any  `json:"rows"`
	RowsAffected int64    `json:"rows_affected"`
	Error        string   `json:"error"`
}

func appReply(_ context.Context, req *appReplyRequest) (*appStepWire, error) {
	session, err := appSessions.Get(req.Session)
	if err != nil {
		return nil, err
	}
	reply := &appconn.Reply{Columns: req.Columns, OIDs: req.OIDs, Rows: req.Rows, RowsAffected: req.RowsAffected, Error: req.Error}
	return appStep(req.Session, session, session.Reply(reply)), nil
}

// appClose abandons an operation (Python gave up on it); closing twice, or
// a finished session, is harmless.
func appClose(_ context.Context, req *appSessionRequest) (bool, error) {
	if session, ok := appSessions.Remove(req.Session); ok {
		session.Close()
	}
	return true, nil
}

type sqliteFileRequest struct {
	Path string `json:"path"`
}

// sqliteFileInUse reports whether one of this library's SQLite connections
// has the file open: Python then refuses to run River's statements on the
// application's own sqlite3 connection to it (see dburl's guard).
func sqliteFileInUse(_ context.Context, req *sqliteFileRequest) (bool, error) {
	return dburl.SQLiteFileInUse(req.Path), nil
}
