package api

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/appconn"
	"github.com/pyriver/pyriver/go/internal/dburl"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/pycall"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// Operations on the application's own connection. Python starts one with
// app.call, naming an ordinary method (job.insert_many, job.get...) and its
// request; River runs it on the application's transaction through package
// appconn. Each call returns a step: a statement for Python to run on its
// connection and answer with app.reply, or the method's result. A call waits
// only for River's own work, never for the database. app.close ends an
// operation early.
//
// app.run does the same in one call where Python's C API can be reached
// (package pycall): River runs on the calling thread and hands each statement
// to a Python function there, with no thread hand-off. Python uses it for
// its synchronous connections; an asyncio connection must await each
// statement on its loop, so it takes the steps.
func init() {
	rpc.Register(protocol.AppCall, rpc.Typed(appCall))
	rpc.Register(protocol.AppRun, rpc.Typed(appRun))
	rpc.Register(protocol.AppRunAvailable, rpc.Typed(appRunAvailable))
	rpc.Register(protocol.AppReply, rpc.Typed(appReply))
	rpc.Register(protocol.AppClose, rpc.Typed(appClose))
	rpc.Register(protocol.AppSQLiteFileInUse, rpc.Typed(sqliteFileInUse))
}

func appCall(_ context.Context, req *protocol.AppCallRequest) (*protocol.AppStep, error) {
	dialect, operation, err := appOperation(req)
	if err != nil {
		return nil, err
	}
	session, err := appconn.Start(dialect, operation)
	if err != nil {
		return nil, apierr.New(apierr.Internal, "cannot start an operation on the application's connection: %v", err)
	}
	handle := appSessions.Add(session)
	return appStep(handle, session, session.Next()), nil
}

func appRun(ctx context.Context, req *protocol.AppRunRequest) (*protocol.AppStep, error) {
	if !pycall.Available() {
		return nil, apierr.New(apierr.Internal, "app.run needs Python's C API, which this process does not expose")
	}
	dialect, operation, err := appOperation(&req.AppCallRequest)
	if err != nil {
		return nil, err
	}
	python := pycall.Function{Callable: req.Execute, Keep: req.Keep}
	// Without the main thread's Ctrl-C cancellation: every statement runs in
	// Python, where Ctrl-C raises KeyboardInterrupt and abandons the
	// operation, and a cancellable context made database/sql start a
	// goroutine for each query (15 µs and a thread woken, for every insert).
	ctx = context.WithoutCancel(ctx)
	return &protocol.AppStep{Result: appconn.Run(ctx, dialect, pythonStatements(python), operation)}, nil
}

func appRunAvailable(context.Context, *protocol.Empty) (bool, error) { return pycall.Available(), nil }

// appOperation checks a request for an operation on the application's
// connection and returns the method it runs, on River's transaction.
func appOperation(req *protocol.AppCallRequest) (appconn.Dialect, appconn.Operation, error) {
	if !protocol.AppMethods[req.Method] {
		return appconn.Dialect{}, nil, apierr.Invalid("method", "%q cannot run on an application connection", req.Method)
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return appconn.Dialect{}, nil, err
	}
	dialect := req.Dialect.Appconn()
	if dialect.SQLite != client.SQLite() {
		return appconn.Dialect{}, nil, apierr.Invalid("conn", "%s", dialectMismatch(client.SQLite()))
	}
	return dialect, func(ctx context.Context, tx *sql.Tx) []byte {
		return rpc.CallContext(context.WithValue(ctx, appTxKey{}, tx), req.Method, req.Request)
	}, nil
}

// pythonStatements runs each statement through the Python function, which
// answers with the reply app.reply would carry. Once Python has abandoned
// the operation, no further statement reaches it.
func pythonStatements(python pycall.Function) func(*appconn.Statement) (*appconn.Reply, error) {
	abandoned := false
	return func(statement *appconn.Statement) (*appconn.Reply, error) {
		if abandoned {
			return nil, appconn.ErrAbandoned
		}
		request, err := json.Marshal(protocol.NewAppStatement(statement))
		if err != nil {
			return nil, err
		}
		answer, err := python.Call(request)
		reply, plain := protocol.ReadPlainStatementReply(answer)
		if err == nil && !plain {
			err = rpc.Decode(answer, &reply)
		}
		if err != nil || reply.Abandoned {
			abandoned = true
			return nil, appconn.ErrAbandoned
		}
		return reply.Appconn(), nil
	}
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
