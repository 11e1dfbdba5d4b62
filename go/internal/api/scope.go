package api

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// clients and transactions are the process-wide handle tables: one Go
// runtime serves every Python client in the process.
var (
	clients      = engine.NewRegistry[engine.Client]("client") //nolint:gochecknoglobals
	transactions = engine.NewRegistry[*openTx]("transaction")  //nolint:gochecknoglobals
)

// openTx is a transaction in progress. Its mutex serialises calls: a
// database transaction is one connection, and Python threads may share it.
type openTx struct {
	mu     sync.Mutex
	client uint64
	tx     engine.Tx
}

func init() {
	rpc.Register("ping", rpc.Typed(ping))
	rpc.Register("library_info", rpc.Typed(libraryInfo))
	rpc.Register("client.open", rpc.Typed(clientOpen))
	rpc.Register("client.close", rpc.Typed(clientClose))
}

type empty struct{}

// ping does nothing: it measures the cost of one trip through the C boundary.
func ping(context.Context, *empty) (bool, error) { return true, nil }

type libraryInfoWire struct {
	River string `json:"river"`
	Go    string `json:"go"`
}

// libraryInfo reports what the library was built from, read from Go's own
// build information so that it cannot drift from go.mod.
func libraryInfo(context.Context, *empty) (*libraryInfoWire, error) {
	info := &libraryInfoWire{Go: runtime.Version()}
	if build, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range build.Deps {
			if dep.Path == "github.com/riverqueue/river" {
				info.River = dep.Version
			}
		}
	}
	return info, nil
}

type clientOpenRequest struct {
	URL          string            `json:"url"`
	Config       engine.Config     `json:"config"`
	PeriodicJobs []periodicJobWire `json:"periodic_jobs"`
}

func clientOpen(ctx context.Context, req *clientOpenRequest) (uint64, error) {
	periodicJobs, err := periodicJobsToRiver(req.PeriodicJobs)
	if err != nil {
		return 0, err
	}
	req.Config.PeriodicJobs = periodicJobs
	client, err := engine.Open(ctx, req.URL, &req.Config)
	if err != nil {
		return 0, err
	}
	return clients.Add(client), nil
}

type clientRequest struct {
	Client uint64 `json:"client"`
}

// clientClose rolls back the client's open transactions, ends its event
// subscriptions, then closes it. Closing twice is harmless.
func clientClose(ctx context.Context, req *clientRequest) (bool, error) {
	client, ok := clients.Remove(req.Client)
	if !ok {
		return true, nil
	}
	for _, open := range transactions.RemoveWhere(func(open *openTx) bool { return open.client == req.Client }) {
		open.mu.Lock()
		_ = open.tx.Rollback(ctx) // the client is going away; nothing to report to
		open.mu.Unlock()
	}
	for _, sub := range subscriptions.RemoveWhere(func(sub *subscription) bool { return sub.client == req.Client }) {
		sub.cancel()
	}
	client.Close()
	return true, nil
}

// scope names where an operation runs: on a client, or inside one of its
// transactions when Tx is set.
type scope struct {
	Client uint64 `json:"client"`
	Tx     uint64 `json:"tx,omitempty"`
}

// ops resolves a scope. release must be called when the operation is done:
// it lets the next caller use the transaction. timeout bounds operations on
// the client itself (zero: none).
func (s scope) ops(ctx context.Context) (ops engine.Ops, timeout time.Duration, release func(), err error) {
	if appTx := appTxFrom(ctx); appTx != nil {
		client, err := clients.Get(s.Client)
		if err != nil {
			return nil, 0, nil, err
		}
		// The application's connection is the application's to bound.
		return client.AppOps(appTx), 0, func() {}, nil
	}
	if s.Tx == 0 {
		client, err := clients.Get(s.Client)
		if err != nil {
			return nil, 0, nil, err
		}
		return client.Ops(), client.OperationTimeout(), func() {}, nil
	}
	open, err := s.transaction()
	if err != nil {
		return nil, 0, nil, err
	}
	return open.tx.Ops(), 0, open.mu.Unlock, nil
}

// withOps runs fn with the scope's operations, holding the transaction (if
// any) for the duration. An operation on the client gives up after the
// client's operation timeout, so a call can never block Python forever
// (on SQLite, for example, while the client's one connection is held by a
// transaction the same thread opened).
func withOps[R any](ctx context.Context, s scope, fn func(context.Context, engine.Ops) (R, error)) (R, error) {
	ops, timeout, release, err := s.ops(ctx)
	if err != nil {
		var zero R
		return zero, err
	}
	defer release()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	result, err := fn(ctx, ops)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return result, apierr.New(apierr.Database,
			"no answer from the database within the operation timeout (%s); on SQLite the client has one connection, which an open transaction holds until it ends", timeout)
	}
	return result, err
}

// transaction returns the scope's transaction, locked.
func (s scope) transaction() (*openTx, error) {
	open, err := transactions.Get(s.Tx)
	if err != nil {
		return nil, err
	}
	if open.client != s.Client {
		return nil, apierr.New(apierr.Closed, "transaction does not belong to this client")
	}
	open.mu.Lock()
	return open, nil
}
