package api

import (
	"context"
	"os"
	"runtime/trace"
	"sync"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.LibraryTraceOn, rpc.Typed(traceStart))
	rpc.Register(protocol.LibraryTraceOff, rpc.Typed(traceStop))
}

// tracing is the file Go's execution tracer writes to while it runs (one
// trace per process, as runtime/trace allows).
var tracing struct { //nolint:gochecknoglobals // the runtime has one tracer
	sync.Mutex
	file *os.File
}

// traceStart starts Go's execution tracer for the whole library, so that
// the time a Python call spends in Go (goroutine hand-offs, the network
// poller, the scheduler) can be read with `go tool trace`.
func traceStart(_ context.Context, req *protocol.TraceRequest) (bool, error) {
	tracing.Lock()
	defer tracing.Unlock()
	if tracing.file != nil {
		return false, apierr.New(apierr.InvalidState, "a Go execution trace is already being written")
	}
	file, err := os.Create(req.Path)
	if err != nil {
		return false, apierr.Invalid("path", "cannot write the trace: %v", err)
	}
	if err := trace.Start(file); err != nil {
		_ = file.Close()
		return false, apierr.New(apierr.InvalidState, "Go's execution tracer did not start: %v", err)
	}
	tracing.file = file
	return true, nil
}

// traceStop stops the tracer and closes its file; without a trace running
// it does nothing.
func traceStop(context.Context, *protocol.Empty) (bool, error) {
	tracing.Lock()
	defer tracing.Unlock()
	if tracing.file == nil {
		return false, nil
	}
	trace.Stop()
	err := tracing.file.Close()
	tracing.file = nil
	if err != nil {
		return false, apierr.New(apierr.Internal, "closing the trace: %v", err)
	}
	return true, nil
}
