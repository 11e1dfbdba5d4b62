package api

import (
	"sync"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/appconn"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// The process-wide handle tables: one Go runtime serves every Python client
// in the process.
//
//nolint:gochecknoglobals // one table per kind of handle, for the process
var (
	clients       = rpc.NewHandles[engine.Client]("client")
	transactions  = rpc.NewHandles[*openTx]("transaction")
	subscriptions = rpc.NewHandles[*subscription]("subscription")
	appSessions   = rpc.NewHandles[*appconn.Session]("operation on the application's connection")
	uis           = rpc.NewHandles[*openUI]("River UI")
)

// openTx is a transaction in progress. Its mutex serialises calls: a
// database transaction is one connection, and Python threads may share it.
type openTx struct {
	mu     sync.Mutex
	client uint64
	tx     engine.Tx
	queued queuedInserts
}

// subscription is a River event subscription that Python drains. River's
// channel is the bounded buffer: when Python falls behind by more than its
// 1,000 events, River drops new ones rather than slow job processing.
type subscription struct {
	client uint64
	events <-chan *river.Event
	cancel func()
}
