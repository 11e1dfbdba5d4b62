package api

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.QueueGet, rpc.Typed(queueGet))
	rpc.Register(protocol.QueueList, rpc.Typed(queueList))
	rpc.Register(protocol.QueuePause, rpc.Typed(queueControl(engine.Ops.QueuePause)))
	rpc.Register(protocol.QueueResume, rpc.Typed(queueControl(engine.Ops.QueueResume)))
	rpc.Register(protocol.QueueUpdate, rpc.Typed(queueUpdate))
}

func queueGet(ctx context.Context, req *protocol.QueueRequest) (*protocol.Queue, error) {
	queue, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*rivertype.Queue, error) {
		return ops.QueueGet(ctx, req.Name)
	})
	if err != nil {
		return nil, apierr.Naming(err, "queue %q not found", req.Name)
	}
	return protocol.NewQueue(queue), nil
}

func queueList(ctx context.Context, req *protocol.QueueListRequest) ([]*protocol.Queue, error) {
	params, err := req.River()
	if err != nil {
		return nil, err
	}
	result, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*river.QueueListResult, error) {
		return ops.QueueList(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return sliceutil.Map(result.Queues, protocol.NewQueue), nil
}

// queueControl adapts pause and resume, which take a queue name and return
// nothing.
func queueControl(control func(engine.Ops, context.Context, string) error) func(context.Context, *protocol.QueueRequest) (bool, error) {
	return func(ctx context.Context, req *protocol.QueueRequest) (bool, error) {
		done, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (bool, error) { return true, control(ops, ctx, req.Name) })
		return done, apierr.Naming(err, "queue %q not found", req.Name)
	}
}

func queueUpdate(ctx context.Context, req *protocol.QueueRequest) (*protocol.Queue, error) {
	params, err := req.UpdateParams()
	if err != nil {
		return nil, err
	}
	queue, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*rivertype.Queue, error) {
		return ops.QueueUpdate(ctx, req.Name, params)
	})
	if err != nil {
		return nil, apierr.Naming(err, "queue %q not found", req.Name)
	}
	return protocol.NewQueue(queue), nil
}
