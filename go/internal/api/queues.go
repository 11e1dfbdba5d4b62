package api

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("queue_get", rpc.Typed(queueGet))
	rpc.Register("queue_list", rpc.Typed(queueList))
	rpc.Register("queue_pause", rpc.Typed(queueControl(engine.Ops.QueuePause)))
	rpc.Register("queue_resume", rpc.Typed(queueControl(engine.Ops.QueueResume)))
	rpc.Register("queue_update", rpc.Typed(queueUpdate))
}

type queueWire struct {
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	Metadata  string `json:"metadata"`
	PausedAt  *int64 `json:"paused_at"`
	UpdatedAt int64  `json:"updated_at"`
}

func queueToWire(queue *rivertype.Queue) *queueWire {
	return &queueWire{
		Name:      queue.Name,
		CreatedAt: micros(queue.CreatedAt),
		Metadata:  string(queue.Metadata),
		PausedAt:  microsPtr(queue.PausedAt),
		UpdatedAt: micros(queue.UpdatedAt),
	}
}

type queueRequest struct {
	scope
	Name     string          `json:"name"`
	Metadata json.RawMessage `json:"metadata"`
}

func queueGet(ctx context.Context, req *queueRequest) (*queueWire, error) {
	queue, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*rivertype.Queue, error) {
		return ops.QueueGet(ctx, req.Name)
	})
	if err != nil {
		return nil, apierr.Classify(err, "name")
	}
	return queueToWire(queue), nil
}

type queueListRequest struct {
	scope
	Limit *int `json:"limit"`
}

func queueList(ctx context.Context, req *queueListRequest) ([]*queueWire, error) {
	params := river.NewQueueListParams()
	if err := validateLimit(req.Limit); err != nil {
		return nil, err
	}
	if req.Limit != nil {
		params = params.First(*req.Limit)
	}
	result, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*river.QueueListResult, error) {
		return ops.QueueList(ctx, params)
	})
	if err != nil {
		return nil, apierr.Classify(err, "limit")
	}
	return sliceutil.Map(result.Queues, queueToWire), nil
}

// queueControl adapts pause and resume, which take a queue name and return
// nothing.
func queueControl(control func(engine.Ops, context.Context, string) error) func(context.Context, *queueRequest) (bool, error) {
	return func(ctx context.Context, req *queueRequest) (bool, error) {
		_, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (bool, error) { return true, control(ops, ctx, req.Name) })
		if err != nil {
			return false, apierr.Classify(err, "name")
		}
		return true, nil
	}
}

func queueUpdate(ctx context.Context, req *queueRequest) (*queueWire, error) {
	if trimmed := bytes.TrimSpace(req.Metadata); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, apierr.Invalid("metadata", "must be a JSON object")
	}
	queue, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*rivertype.Queue, error) {
		return ops.QueueUpdate(ctx, req.Name, &river.QueueUpdateParams{Metadata: req.Metadata})
	})
	if err != nil {
		return nil, apierr.Classify(err, "name")
	}
	return queueToWire(queue), nil
}
