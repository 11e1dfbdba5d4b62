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
	rpc.Register(protocol.TxCommit, rpc.Typed(txFinish(engine.Tx.Commit)))
	rpc.Register(protocol.TxRollback, rpc.Typed(txFinish(engine.Tx.Rollback)))
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
func txFinish(finish func(engine.Tx, context.Context) error) func(context.Context, *protocol.Scope) (bool, error) {
	return func(ctx context.Context, req *protocol.Scope) (bool, error) {
		open, err := lockTransaction(*req)
		if err != nil {
			return false, err
		}
		defer open.mu.Unlock()
		transactions.Remove(req.Tx)
		if err := finish(open.tx, ctx); err != nil {
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
