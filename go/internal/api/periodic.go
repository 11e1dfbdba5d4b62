package api

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.PeriodicAdd, rpc.Typed(periodicAdd))
	rpc.Register(protocol.PeriodicRemove, rpc.Typed(periodicRemove))
	rpc.Register(protocol.PeriodicClear, rpc.Typed(periodicClear))
}

func periodicBundle(req *protocol.PeriodicRequest) (*river.PeriodicJobBundle, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	return client.PeriodicJobs()
}

func periodicAdd(_ context.Context, req *protocol.PeriodicRequest) (int, error) {
	job, err := req.Job.River()
	if err != nil {
		return 0, err
	}
	bundle, err := periodicBundle(req)
	if err != nil {
		return 0, err
	}
	// River refuses only a job whose id another periodic job has.
	handle, err := bundle.AddSafely(job)
	if err != nil {
		return 0, apierr.As(err, apierr.InvalidArgument, "id")
	}
	return int(handle), nil
}

func periodicRemove(_ context.Context, req *protocol.PeriodicRequest) (bool, error) {
	bundle, err := periodicBundle(req)
	if err != nil {
		return false, err
	}
	bundle.Remove(rivertype.PeriodicJobHandle(req.Handle))
	return true, nil
}

func periodicClear(_ context.Context, req *protocol.PeriodicRequest) (bool, error) {
	bundle, err := periodicBundle(req)
	if err != nil {
		return false, err
	}
	bundle.Clear()
	return true, nil
}
