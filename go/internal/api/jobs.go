package api

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.JobGet, rpc.Typed(jobByID(engine.Ops.JobGet)))
	rpc.Register(protocol.JobCancel, rpc.Typed(jobByID(engine.Ops.JobCancel)))
	rpc.Register(protocol.JobDelete, rpc.Typed(jobByID(engine.Ops.JobDelete)))
	rpc.Register(protocol.JobRetry, rpc.Typed(jobByID(engine.Ops.JobRetry)))
	rpc.Register(protocol.JobList, rpc.Typed(jobList))
	rpc.Register(protocol.JobDeleteMany, rpc.Typed(jobDeleteMany))
}

// jobByID adapts one of River's single-job operations (get, cancel, delete,
// retry), which all take an id and return the job.
func jobByID(operation func(engine.Ops, context.Context, int64) (*rivertype.JobRow, error)) func(context.Context, *protocol.JobIDRequest) (*protocol.JobRow, error) {
	return func(ctx context.Context, req *protocol.JobIDRequest) (*protocol.JobRow, error) {
		job, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*rivertype.JobRow, error) {
			return operation(ops, ctx, req.ID)
		})
		if err != nil {
			return nil, apierr.Naming(err, "job %d not found", req.ID)
		}
		return protocol.NewJobRow(job), nil
	}
}

func jobList(ctx context.Context, req *protocol.JobListRequest) (*protocol.JobListResult, error) {
	params, err := req.River()
	if err != nil {
		return nil, err
	}
	result, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*river.JobListResult, error) {
		return ops.JobList(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return req.Result(result)
}

func jobDeleteMany(ctx context.Context, req *protocol.JobDeleteManyRequest) ([]*protocol.JobRow, error) {
	params, err := req.River()
	if err != nil {
		return nil, err
	}
	result, err := withOps(ctx, req.Scope, func(ctx context.Context, ops engine.Ops) (*river.JobDeleteManyResult, error) {
		return ops.JobDeleteMany(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return protocol.NewJobRows(result.Jobs), nil
}
