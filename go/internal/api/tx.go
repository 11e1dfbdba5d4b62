package api

import (
	"context"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.TxBegin, rpc.Typed(txBegin))
	rpc.Register(protocol.TxCommit, rpc.Typed(txFinish(true)))
	rpc.Register(protocol.TxRollback, rpc.Typed(txFinish(false)))
	rpc.Register(protocol.TxExecute, rpc.Typed(txExecute))
	rpc.Register(protocol.TxQuery, rpc.Typed(txQuery))
}

func txBegin(ctx context.Context, req *protocol.ClientRequest) (uint64, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return 0, err
	}
	tx, err := client.Begin(ctx)
	if err != nil {
		return 0, apierr.Classify(err)
	}
	return transactions.Add(&openTx{client: req.Client, tx: tx}), nil
}

// txFinish commits or rolls back; either way the handle is gone afterwards.
// Inserts still queued are awaited for a commit and ended for a rollback; a
// commit after a queued insert failed unseen rolls back and reports it.
func txFinish(commit bool) func(context.Context, *protocol.Scope) (bool, error) {
	finish := engine.Tx.Rollback
	if commit {
		finish = engine.Tx.Commit
	}
	return func(ctx context.Context, req *protocol.Scope) (bool, error) {
		open, err := transactionOf(*req)
		if err != nil {
			return false, err
		}
		queuedErr := open.queued.settle(!commit)
		open.mu.Lock()
		defer open.mu.Unlock()
		transactions.Remove(req.Tx)
		if commit && queuedErr != nil {
			_ = open.tx.Rollback(ctx) // the insert's error is the one to report
			return false, queuedErr
		}
		if err := finish(open.tx, ctx); err != nil {
			if !commit && queuedErr != nil {
				// A queued insert ended mid-statement took the transaction
				// with it (SQLite rolls back an interrupted statement's
				// transaction, pgx closes the connection): rolled back.
				return true, nil
			}
			return false, apierr.Classify(err)
		}
		return true, nil
	}
}

// inTransaction runs the application's SQL in the request's transaction.
// Whatever the statement's driver reports is the database's answer.
func inTransaction[R any](ctx context.Context, req *protocol.TxSQLRequest, run func(context.Context, engine.Tx, []any) (R, error)) (R, error) {
	var zero R
	args, err := req.Args()
	if err != nil {
		return zero, err
	}
	open, err := lockTransaction(req.Scope)
	if err != nil {
		return zero, err
	}
	defer open.mu.Unlock()
	result, err := run(ctx, open.tx, args)
	if err != nil {
		return zero, apierr.New(apierr.Database, "%v", err)
	}
	return result, nil
}

func txExecute(ctx context.Context, req *protocol.TxSQLRequest) (int64, error) {
	return inTransaction(ctx, req, func(ctx context.Context, tx engine.Tx, args []any) (int64, error) {
		return tx.SQL().Execute(ctx, req.SQL, args)
	})
}

func txQuery(ctx context.Context, req *protocol.TxSQLRequest) (*protocol.QueryResult, error) {
	return inTransaction(ctx, req, func(ctx context.Context, tx engine.Tx, args []any) (*protocol.QueryResult, error) {
		result, err := tx.SQL().Query(ctx, req.SQL, args)
		if err != nil {
			return nil, err
		}
		return protocol.NewQueryResult(result), nil
	})
}
