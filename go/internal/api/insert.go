package api

import (
	"context"
	"errors"

	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/insertmw"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.JobInsertMany, rpc.Typed(insertMany))
	rpc.Register(protocol.JobInsertManyFast, rpc.Typed(insertManyFast))
}

// insertMany inserts jobs, returning River's results; or, for the first
// pass of Python's insert middleware, the parameters River filled in.
func insertMany(ctx context.Context, req *protocol.InsertManyRequest) (any, error) {
	params, err := req.Params()
	if err != nil {
		return nil, err
	}
	var captured func() []*rivertype.JobInsertParams
	switch {
	case req.Prepare:
		ctx, captured = insertmw.WithCapture(ctx)
	case req.Overrides != nil:
		overrides, err := req.OverrideParams()
		if err != nil {
			return nil, err
		}
		ctx = insertmw.WithOverrides(ctx, overrides)
	}
	results, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) ([]*rivertype.JobInsertResult, error) {
		return ops.InsertMany(ctx, params)
	})
	if captured != nil && errors.Is(err, insertmw.ErrCaptured) {
		return protocol.NewFilledParams(captured()), nil
	}
	if err != nil {
		return nil, err
	}
	return protocol.NewInsertResults(results), nil
}

func insertManyFast(ctx context.Context, req *protocol.InsertManyRequest) (int, error) {
	params, err := req.Params()
	if err != nil {
		return 0, err
	}
	return withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (int, error) { return ops.InsertManyFast(ctx, params) })
}
