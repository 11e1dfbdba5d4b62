package api

import (
	"context"
	"errors"

	"github.com/riverqueue/river"
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
	if req.Prepare {
		return capturedParams(ctx, req.Scope, params)
	}
	ctx = insertmw.WithMetadata(ctx, req.SetMetadata)
	if req.Overrides != nil {
		overrides, err := req.OverrideParams()
		if err != nil {
			return nil, err
		}
		ctx = insertmw.WithOverrides(ctx, overrides)
	}
	results, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) ([]*rivertype.JobInsertResult, error) {
		return ops.InsertMany(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return protocol.NewInsertResults(results), nil
}

// capturedParams runs River's insert as far as its middleware, with no
// transaction and no query, and returns the parameters River filled in.
func capturedParams(ctx context.Context, scope protocol.Scope, params []river.InsertManyParams) (any, error) {
	client, err := clients.Get(scope.Client)
	if err != nil {
		return nil, err
	}
	ctx, captured := insertmw.WithCapture(ctx)
	_, err = client.CaptureOps().InsertMany(ctx, params)
	if err == nil { // the capture middleware is in every client's configuration
		err = errors.New("pyriver: River's insert ran without its capture middleware")
	}
	if !errors.Is(err, insertmw.ErrCaptured) {
		return nil, err
	}
	return protocol.NewFilledParams(captured()), nil
}

func insertManyFast(ctx context.Context, req *protocol.InsertManyRequest) (int, error) {
	params, err := req.Params()
	if err != nil {
		return 0, err
	}
	ctx = insertmw.WithMetadata(ctx, req.SetMetadata)
	return withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (int, error) { return ops.InsertManyFast(ctx, params) })
}
