package api

import (
	"context"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
	"github.com/pyriver/pyriver/go/internal/work"
)

func init() {
	rpc.Register(protocol.WorkerNext, rpc.Typed(workerNext))
	rpc.Register(protocol.WorkerComplete, rpc.Typed(workerComplete))
}

func bridgeOf(handle uint64) (*work.Bridge, error) {
	client, err := clients.Get(handle)
	if err != nil {
		return nil, err
	}
	if client.Bridge() == nil {
		return nil, apierr.New(apierr.InvalidState, "this client has no workers")
	}
	return client.Bridge(), nil
}

// workerNext returns the jobs and cancellation notices waiting for Python's
// runner, after waiting up to the timeout for the first.
func workerNext(_ context.Context, req *protocol.WorkerNextRequest) (*protocol.Work, error) {
	bridge, err := bridgeOf(req.Client)
	if err != nil {
		return nil, err
	}
	return protocol.NewWork(bridge.Next(req.Max, pollWait(req.TimeoutSeconds))), nil
}

// workerComplete reports an outcome; false means River stopped waiting for
// it (timeout or cancellation came first) and it was dropped.
func workerComplete(_ context.Context, req *protocol.CompleteRequest) (bool, error) {
	outcome, err := req.Outcome.Work()
	if err != nil {
		return false, err
	}
	bridge, err := bridgeOf(req.Client)
	if err != nil {
		if apierr.Classify(err).Code == apierr.Closed {
			// A client closed while a handler ran has already returned the
			// job to the queue; the outcome has nowhere to go.
			return false, nil
		}
		return false, err
	}
	return bridge.Complete(req.Token, outcome), nil
}
