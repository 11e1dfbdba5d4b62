package appconn

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// bridgeDB is the database/sql pool every operation's transaction comes from.
// Its connections hold no state: each statement goes where its context says,
// so one pool serves all operations without opening one per call.
var bridgeDB = func() *sql.DB { //nolint:gochecknoglobals // one pool of stateless connections
	db := sql.OpenDB(connector{})
	db.SetMaxIdleConns(64)
	return db
}()

// bridgeTx is a database/sql transaction on the bridge, which River's
// drivers need to be given. Transactions are kept open and reused rather
// than begun and ended per operation: ending one wakes the goroutine
// database/sql keeps for it, and on an operation run on Python's thread that
// wake-up alone cost more than River's work (80 µs per operation). A
// transaction River itself ended is not reused.
type bridgeTx struct {
	tx    *sql.Tx
	ended *atomic.Bool
}

type endedKey struct{}

var idleBridgeTxs = make(chan bridgeTx, 64) //nolint:gochecknoglobals // one pool for the process

func takeBridgeTx() (bridgeTx, error) {
	select {
	case idle := <-idleBridgeTxs:
		return idle, nil
	default:
	}
	ended := new(atomic.Bool)
	tx, err := bridgeDB.BeginTx(context.WithValue(context.Background(), endedKey{}, ended), nil)
	return bridgeTx{tx: tx, ended: ended}, err
}

func giveBridgeTx(idle bridgeTx) {
	if idle.ended.Load() {
		return
	}
	select {
	case idleBridgeTxs <- idle:
	default:
		_ = idle.tx.Rollback() // a no-op on the application's connection
	}
}

// runOperation runs River's work on a bridge transaction whose statements
// go where ctx says.
func runOperation(ctx context.Context, operation Operation) []byte {
	bridge, err := takeBridgeTx()
	if err != nil {
		return operation(ctx, nil)
	}
	defer giveBridgeTx(bridge)
	return operation(ctx, bridge.tx)
}
