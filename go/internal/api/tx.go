package api

import (
	"context"
	"encoding/json"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("tx_begin", rpc.Typed(txBegin))
	rpc.Register("tx_commit", rpc.Typed(txFinish(engine.Tx.Commit)))
	rpc.Register("tx_rollback", rpc.Typed(txFinish(engine.Tx.Rollback)))
	rpc.Register("tx_execute", rpc.Typed(txExecute))
	rpc.Register("tx_query", rpc.Typed(txQuery))
}

func txBegin(ctx context.Context, req *clientRequest) (uint64, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return 0, err
	}
	tx, err := client.Begin(ctx)
	if err != nil {
		return 0, apierr.Classify(err, "")
	}
	return transactions.Add(&openTx{client: req.Client, tx: tx}), nil
}

// txFinish commits or rolls back; either way the handle is gone afterwards.
func txFinish(finish func(engine.Tx, context.Context) error) func(context.Context, *scope) (bool, error) {
	return func(ctx context.Context, req *scope) (bool, error) {
		open, err := req.transaction()
		if err != nil {
			return false, err
		}
		defer open.mu.Unlock()
		transactions.Remove(req.Tx)
		if err := finish(open.tx, ctx); err != nil {
			return false, apierr.Classify(err, "")
		}
		return true, nil
	}
}

type txSQLRequest struct {
	scope
	SQL    string `json:"sql"`
	Params []any  `json:"params"`
}

// args converts JSON parameters to the Go values database drivers take:
// numbers arrive as json.Number (the decoder keeps big integers exact).
func (req *txSQLRequest) args() ([]any, error) {
	args := make([]any, len(req.Params))
	for i, param := range req.Params {
		switch value := param.(type) {
		case json.Number:
			if integer, err := value.Int64(); err == nil {
				args[i] = integer
			} else if float, err := value.Float64(); err == nil {
				args[i] = float
			} else {
				return nil, apierr.Invalid("params", "parameter %d: %v", i+1, err)
			}
		case map[string]any, []any:
			encoded, err := json.Marshal(value)
			if err != nil {
				return nil, apierr.Invalid("params", "parameter %d: %v", i+1, err)
			}
			args[i] = string(encoded)
		default:
			args[i] = value
		}
	}
	return args, nil
}

func txExecute(ctx context.Context, req *txSQLRequest) (int64, error) {
	args, err := req.args()
	if err != nil {
		return 0, err
	}
	open, err := req.transaction()
	if err != nil {
		return 0, err
	}
	defer open.mu.Unlock()
	rowsAffected, err := open.tx.SQL().Execute(ctx, req.SQL, args)
	if err != nil {
		return 0, apierr.New(apierr.Database, "%v", err)
	}
	return rowsAffected, nil
}

func txQuery(ctx context.Context, req *txSQLRequest) (*engine.QueryResult, error) {
	args, err := req.args()
	if err != nil {
		return nil, err
	}
	open, err := req.transaction()
	if err != nil {
		return nil, err
	}
	defer open.mu.Unlock()
	result, err := open.tx.SQL().Query(ctx, req.SQL, args)
	if err != nil {
		return nil, apierr.New(apierr.Database, "%v", err)
	}
	return result, nil
}
