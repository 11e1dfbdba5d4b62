package protocol

import (
	"encoding/json"

	"github.com/pyriver/pyriver/go/internal/appconn"
)

// AppCallRequest starts an operation on the application's connection
// (app.call): Method is one of AppMethods and Request its request.
type AppCallRequest struct {
	ClientRequest
	Dialect AppDialect      `json:"dialect"`
	Method  string          `json:"method"`
	Request json.RawMessage `json:"request"`
}

// AppRunRequest runs an operation on the application's connection in one
// call (app.run): each statement is handed to Execute, a Python function
// called on the calling thread, and any exception escaping it to Keep (both
// named by their CPython id()). The response is the method's own envelope.
type AppRunRequest struct {
	AppCallRequest
	Execute uintptr `json:"execute"`
	Keep    uintptr `json:"keep"`
}

// AppDialect says which database the application's connection reaches and
// which placeholders its driver takes.
type AppDialect struct {
	Database string `json:"database"` // "postgres" or "sqlite"
	Pyformat bool   `json:"pyformat"`
}

// Appconn converts the dialect.
func (d AppDialect) Appconn() appconn.Dialect {
	return appconn.Dialect{SQLite: d.Database == "sqlite", Pyformat: d.Pyformat}
}

// AppStep is either the next statement for Python to run (with the session
// to reply to) or the finished method's response envelope.
type AppStep struct {
	Session   uint64          `json:"session,omitempty"`
	Statement *AppStatement   `json:"statement,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
}

// AppStatement is a statement River makes, in the driver's own placeholder
// style.
type AppStatement struct {
	SQL         string `json:"sql"`
	Args        []any  `json:"args"`
	ReturnsRows bool   `json:"returns_rows"`
}

// NewAppStatement encodes a statement.
func NewAppStatement(statement *appconn.Statement) *AppStatement {
	return &AppStatement{SQL: statement.SQL, Args: statement.Args, ReturnsRows: statement.ReturnsRows}
}

// AppReplyRequest answers a statement (app.reply): its rows, or the error
// the application's driver raised.
type AppReplyRequest struct {
	Session uint64 `json:"session"`
	StatementReply
}

// StatementReply is Python's answer to a statement. Abandoned says Python gave up
// on the operation (an exception other than the database's): River's
// statement fails and nothing more is sent to Python.
type StatementReply struct {
	Columns      []string `json:"columns"`
	OIDs         []uint32 `json:"oids"`
	Rows         [][]any  `json:"rows"`
	RowsAffected int64    `json:"rows_affected"`
	Error        string   `json:"error"`
	Abandoned    bool     `json:"abandoned"`
}

// Appconn converts the reply.
func (r *StatementReply) Appconn() *appconn.Reply {
	return &appconn.Reply{Columns: r.Columns, OIDs: r.OIDs, Rows: r.Rows, RowsAffected: r.RowsAffected, Error: r.Error}
}

// AppSessionRequest names an operation in progress (app.close).
type AppSessionRequest struct {
	Session uint64 `json:"session"`
}

// SQLiteFileRequest names a SQLite file (app.sqlite_file_in_use).
type SQLiteFileRequest struct {
	Path string `json:"path"`
}
