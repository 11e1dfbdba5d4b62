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
	rpc.Register(protocol.WorkerSignal, rpc.Typed(workerSignal))
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

// workerSignal returns a file descriptor, the caller's to close, that
// becomes readable when work is waiting: an event loop watches it and pulls
// with a timeout of 0 instead of blocking a thread in worker.next.
func workerSignal(_ context.Context, req *protocol.ClientRequest) (int, error) {
	bridge, err := bridgeOf(req.Client)
	if err != nil {
		return -1, err
	}
	return bridge.Signal()
}

// workerComplete reports outcomes, the completions' in order and then the
// bare completed tokens'; for each, false means River stopped waiting for it
// (timeout or cancellation came first) and it was dropped. An outcome that
// cannot be read fails the call before any is reported, so that Python can
// report the others on their own.
func workerComplete(_ context.Context, req *protocol.CompleteRequest) ([]bool, error) {
	outcomes := make([]work.Outcome, len(req.Completions))
	for i, completion := range req.Completions {
		outcome, err := completion.Outcome.Work()
		if err != nil {
			return nil, err
		}
		outcomes[i] = outcome
	}
	taken := make([]bool, len(outcomes)+len(req.Completed))
	bridge, err := bridgeOf(req.Client)
	if err != nil {
		if apierr.Classify(err).Code == apierr.Closed {
			// A client closed while handlers ran has already returned their
			// jobs to the queue; the outcomes have nowhere to go.
			return taken, nil
		}
		return nil, err
	}
	for i, completion := range req.Completions {
		taken[i] = bridge.Complete(completion.Token, outcomes[i])
	}
	for i, token := range req.Completed {
		taken[len(outcomes)+i] = bridge.Complete(token, work.Outcome{Kind: work.Completed})
	}
	return taken, nil
}
