package api

import (
	"context"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/rpc"
	"github.com/pyriver/pyriver/go/internal/work"
)

func init() {
	rpc.Register("client.start", rpc.Typed(clientStart))
	rpc.Register("client.stop", rpc.Typed(clientStop))
	rpc.Register("worker.next", rpc.Typed(workerNext))
	rpc.Register("worker.cancellations", rpc.Typed(workerCancellations))
	rpc.Register("worker.complete", rpc.Typed(workerComplete))
}

// maxPollWait bounds how long a pull call blocks in Go, so that Python
// notices Ctrl-C and stop requests promptly even if it asks for longer.
const maxPollWait = time.Second

func clientStart(_ context.Context, req *clientRequest) (bool, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return false, err
	}
	// River's client runs until Stop; its context must outlive this call.
	if err := client.Start(context.Background()); err != nil {
		return false, apierr.Classify(err, "")
	}
	return true, nil
}

type clientStopRequest struct {
	clientRequest
	SoftTimeoutSeconds float64 `json:"soft_timeout"`
}

func clientStop(_ context.Context, req *clientStopRequest) (bool, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return false, err
	}
	if err := client.Stop(time.Duration(req.SoftTimeoutSeconds * float64(time.Second))); err != nil {
		return false, apierr.Classify(err, "")
	}
	return true, nil
}

type pollRequest struct {
	clientRequest
	TimeoutSeconds float64 `json:"timeout"`
}

func (req *pollRequest) bridge() (*work.Bridge, time.Duration, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, 0, err
	}
	if client.Bridge() == nil {
		return nil, 0, apierr.New(apierr.InvalidArgument, "this client has no workers")
	}
	return client.Bridge(), min(time.Duration(req.TimeoutSeconds*float64(time.Second)), maxPollWait), nil
}

type handoffWire struct {
	Token    uint64      `json:"token"`
	Job      *jobRowWire `json:"job"`
	Deadline *int64      `json:"deadline"`
}

// workerNext returns the next job for a Python runner thread, or null when
// none arrived within the timeout.
func workerNext(_ context.Context, req *pollRequest) (*handoffWire, error) {
	bridge, timeout, err := req.bridge()
	if err != nil {
		return nil, err
	}
	handoff := bridge.Next(timeout)
	if handoff == nil {
		return nil, nil
	}
	return &handoffWire{Token: handoff.Token, Job: jobRowToWire(handoff.Job), Deadline: microsPtr(handoff.Deadline)}, nil
}

func workerCancellations(_ context.Context, req *pollRequest) ([]work.Cancellation, error) {
	bridge, timeout, err := req.bridge()
	if err != nil {
		return nil, err
	}
	return bridge.NextCancellations(timeout), nil
}

type completeRequest struct {
	clientRequest
	Token   uint64       `json:"token"`
	Outcome work.Outcome `json:"outcome"`
}

// workerComplete reports an outcome; false means River stopped waiting for
// it (timeout or cancellation came first) and it was dropped.
func workerComplete(_ context.Context, req *completeRequest) (bool, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		// A client closed while a handler ran has already returned the job
		// to the queue; the outcome has nowhere to go.
		return false, nil //nolint:nilerr // documented above
	}
	if client.Bridge() == nil {
		return false, apierr.New(apierr.InvalidArgument, "this client has no workers")
	}
	return client.Bridge().Complete(req.Token, req.Outcome), nil
}
