package api

import (
	"context"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.ClientOpen, rpc.Typed(clientOpen))
	rpc.Register(protocol.ClientClose, rpc.Typed(clientClose))
	rpc.Register(protocol.ClientStart, rpc.Typed(clientStart))
	rpc.Register(protocol.ClientStop, rpc.Typed(clientStop))
}

func clientOpen(ctx context.Context, req *protocol.ClientOpenRequest) (uint64, error) {
	config, err := req.Config.Engine()
	if err != nil {
		return 0, err
	}
	periodicJobs, err := protocol.PeriodicJobs(req.PeriodicJobs)
	if err != nil {
		return 0, err
	}
	config.PeriodicJobs = periodicJobs
	client, err := engine.Open(ctx, req.URL, config)
	if err != nil {
		return 0, err
	}
	return clients.Add(client), nil
}

// clientClose rolls back the client's open transactions, ends its event
// subscriptions and River UIs, then closes it. Closing twice is harmless.
func clientClose(ctx context.Context, req *protocol.ClientRequest) (bool, error) {
	client, ok := clients.Remove(req.Client)
	if !ok {
		return true, nil
	}
	for _, open := range transactions.RemoveWhere(func(open *openTx) bool { return open.client == req.Client }) {
		_ = open.queued.settle(true) // ended: the transaction rolls back
		open.mu.Lock()
		_ = open.tx.Rollback(ctx) // the client is going away; nothing to report to
		open.mu.Unlock()
	}
	for _, sub := range subscriptions.RemoveWhere(func(sub *subscription) bool { return sub.client == req.Client }) {
		sub.cancel()
	}
	for _, open := range uis.RemoveWhere(func(open *openUI) bool { return open.client == req.Client }) {
		_ = open.ui.Close() // the client is going away; nothing to report to
	}
	if bridge := client.Bridge(); bridge != nil {
		bridge.Close()
	}
	client.Close()
	return true, nil
}

func clientStart(_ context.Context, req *protocol.ClientRequest) (bool, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return false, err
	}
	if bridge := client.Bridge(); bridge != nil {
		bridge.Open()
	}
	// River's client runs until Stop; its context must outlive this call.
	// Start fails only when the database cannot be reached or the client
	// cannot work jobs.
	if err := client.Start(context.Background()); err != nil {
		return false, apierr.As(err, apierr.InvalidState, "")
	}
	return true, nil
}

// clientStop stops River, then closes the bridge so that Python's runner
// thread ends at once instead of waiting out its pull.
func clientStop(_ context.Context, req *protocol.ClientStopRequest) (bool, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return false, err
	}
	err = client.Stop(protocol.Duration(req.SoftTimeoutSeconds))
	if bridge := client.Bridge(); bridge != nil {
		bridge.Close()
	}
	if err != nil {
		return false, apierr.Classify(err)
	}
	return true, nil
}

// maxPollWait bounds how long a pull call blocks in Go, so that a Python
// thread blocked in one notices Ctrl-C and stop requests within it even if
// it asks for longer.
const maxPollWait = time.Second

// pollWait is the wait a pull asked for, bounded by maxPollWait.
func pollWait(seconds float64) time.Duration {
	return max(0, min(protocol.Duration(seconds), maxPollWait))
}
