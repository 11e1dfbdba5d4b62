package api

import (
	"context"
	"database/sql"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/appconn"
	"github.com/pyriver/pyriver/go/internal/dburl"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// Operations on the application's own connection. Python starts one with
// app.call, naming an ordinary method (job.insert_many, job.get...) and its
// request; River runs it on the application's transaction through package
// appconn. Each call returns a step: a statement for Python to run on its
// connection and answer with app.reply, or the method's result. A call waits
// only for River's own work, never for the database. app.close ends an
// operation early.
func init() {
	rpc.Register(protocol.AppCall, rpc.Typed(appCall))
	rpc.Register(protocol.AppReply, rpc.Typed(appReply))
	rpc.Register(protocol.AppClose, rpc.Typed(appClose))
	rpc.Register(protocol.AppSQLiteFileInUse, rpc.Typed(sqliteFileInUse))
}

func appCall(_ context.Context, req *protocol.AppCallRequest) (*protocol.AppStep, error) {
	if !protocol.AppMethods[req.Method] {
		return nil, apierr.Invalid("method", "%q cannot run on an application connection", req.Method)
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	dialect := req.Dialect.Appconn()
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

// appStep encodes a step; a finished session is closed.
func appStep(handle uint64, session *appconn.Session, step appconn.Step) *protocol.AppStep {
	if step.Statement == nil {
		appSessions.Remove(handle)
		session.Close()
		return &protocol.AppStep{Result: step.Result}
	}
	return &protocol.AppStep{Session: handle, Statement: protocol.NewAppStatement(step.Statement)}
}

func appReply(_ context.Context, req *protocol.AppReplyRequest) (*protocol.AppStep, error) {
	session, err := appSessions.Get(req.Session)
	if err != nil {
		return nil, err
	}
	return appStep(req.Session, session, session.Reply(req.Appconn())), nil
}

// appClose abandons an operation (Python gave up on it); closing twice, or
// a finished session, is harmless.
func appClose(_ context.Context, req *protocol.AppSessionRequest) (bool, error) {
	if session, ok := appSessions.Remove(req.Session); ok {
		session.Close()
	}
	return true, nil
}

// sqliteFileInUse reports whether one of this library's SQLite connections
// has the file open: Python then refuses to run River's statements on the
// application's own sqlite3 connection to it (see dburl's guard).
func sqliteFileInUse(_ context.Context, req *protocol.SQLiteFileRequest) (bool, error) {
	return dburl.SQLiteFileInUse(req.Path), nil
}
