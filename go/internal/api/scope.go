package api

import (
	"context"
	"database/sql"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
)

// resolve finds where an operation runs: on the application's connection
// (when the call comes through app.call), in a transaction, or on the client.
// release must be called when the operation is done: it lets the next caller
// use the transaction. timeout bounds operations on the client itself (zero:
// none).
func resolve(ctx context.Context, scope protocol.Scope) (ops engine.Ops, timeout time.Duration, release func(), err error) {
	if appTx := appTxFrom(ctx); appTx != nil {
		client, err := clients.Get(scope.Client)
		if err != nil {
			return nil, 0, nil, err
		}
		// The application's connection is the application's to bound.
		return client.AppOps(appTx), 0, func() {}, nil
	}
	if scope.Tx == 0 {
		client, err := clients.Get(scope.Client)
		if err != nil {
			return nil, 0, nil, err
		}
		return client.Ops(), client.OperationTimeout(), func() {}, nil
	}
	open, err := lockTransaction(scope)
	if err != nil {
		return nil, 0, nil, err
	}
	return open.tx.Ops(), 0, open.mu.Unlock, nil
}

// withOps runs fn with the scope's operations, holding the transaction (if
// any) for the duration; package rpc classifies its error. An operation on the client
// gives up after the client's operation timeout, so a call can never block
// Python forever (on SQLite, for example, while the client's one connection
// is held by a transaction the same thread opened).
func withOps[R any](ctx context.Context, scope protocol.Scope, fn func(context.Context, engine.Ops) (R, error)) (R, error) {
	ops, timeout, release, err := resolve(ctx, scope)
	if err != nil {
		var zero R
		return zero, err
	}
	defer release()
	return withinTimeout(ctx, scope, timeout, func(ctx context.Context) (R, error) { return fn(ctx, ops) })
}

// withinTimeout runs an operation of the scope's client, giving up after
// timeout (zero: never), and says why it failed when the client was closed
// or the timeout passed.
func withinTimeout[R any](ctx context.Context, scope protocol.Scope, timeout time.Duration, fn func(context.Context) (R, error)) (R, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	result, err := fn(ctx)
	if err != nil && closedMeanwhile(scope) {
		return result, apierr.New(apierr.Closed, "the client was closed while this call ran: %v", err)
	}
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return result, apierr.New(apierr.Database,
			"no answer from the database within the operation timeout (%s); on SQLite the client has one connection, which an open transaction holds until it ends", timeout)
	}
	return result, err
}

// closedMeanwhile reports whether the scope's client was closed: an
// operation failing then failed because its pool went away, whatever error
// the driver chose to say so.
func closedMeanwhile(scope protocol.Scope) bool {
	_, err := clients.Get(scope.Client)
	return err != nil
}

// lockTransaction returns the scope's transaction, locked.
func lockTransaction(scope protocol.Scope) (*openTx, error) {
	open, err := transactionOf(scope)
	if err != nil {
		return nil, err
	}
	open.mu.Lock()
	return open, nil
}

// transactionOf returns the scope's transaction.
func transactionOf(scope protocol.Scope) (*openTx, error) {
	open, err := transactions.Get(scope.Tx)
	if err != nil {
		return nil, err
	}
	if open.client != scope.Client {
		return nil, apierr.New(apierr.Closed, "transaction does not belong to this client")
	}
	return open, nil
}

type appTxKey struct{}

// appTxFrom returns the application transaction an operation runs in, if any.
func appTxFrom(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(appTxKey{}).(*sql.Tx)
	return tx
}
