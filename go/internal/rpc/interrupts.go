package rpc

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/pyriver/pyriver/go/internal/protocol"
)

// Ctrl-C in Python. Python runs signal handlers only in its main thread,
// between bytecodes, so a main thread waiting in Go would see Ctrl-C only
// when the call returns. Python's C-level signal handler also writes each
// signal's number to its wakeup fd at once; pyriver points that fd at a pipe
// read here (interrupts.watch), and a SIGINT cancels the call Python's main
// thread has in flight. The call returns at once with the cancellation, and
// Python raises KeyboardInterrupt as the call returns. Calls of other threads
// never see Ctrl-C in Python and are left alone.
//
//nolint:gochecknoglobals // one Python main thread per process
var interrupts struct {
	mainThread atomic.Int64
	inFlight   atomic.Pointer[mainThreadCall]
	once       sync.Once
}

type mainThreadCall struct {
	cancel      context.CancelFunc
	interrupted atomic.Bool
}

func init() {
	Register(protocol.InterruptsWatch, Typed(watchInterrupts))
}

func watchInterrupts(_ context.Context, req *protocol.InterruptsWatchRequest) (bool, error) {
	started := false
	interrupts.once.Do(func() {
		interrupts.mainThread.Store(req.MainThreadID)
		go readSignals(os.NewFile(uintptr(req.FD), "pyriver-signals"))
		started = true
	})
	return started, nil
}

func readSignals(pipe *os.File) {
	buffer := make([]byte, 64)
	for {
		n, err := pipe.Read(buffer)
		if err != nil {
			return
		}
		for _, signal := range buffer[:n] {
			if syscall.Signal(signal) == syscall.SIGINT {
				if call := interrupts.inFlight.Load(); call != nil {
					call.interrupted.Store(true)
					call.cancel()
				}
			}
		}
	}
}

// contextForThisThread is the context of a call made on the calling OS
// thread: cancellable by Ctrl-C if it is Python's main thread. done must be
// called when the call returns; interrupted reports whether Ctrl-C ended it.
func contextForThisThread() (ctx context.Context, done func(), interrupted func() bool) {
	ctx = context.Background()
	mainThread := interrupts.mainThread.Load()
	if mainThread == 0 || int64(currentThreadID()) != mainThread {
		return ctx, func() {}, func() bool { return false }
	}
	// Not cancelled when the call ends: database/sql binds a transaction to
	// the context it began with, and the context ends only on Ctrl-C.
	ctx, cancel := context.WithCancel(ctx)
	call := &mainThreadCall{cancel: cancel}
	interrupts.inFlight.Store(call)
	return ctx, func() { interrupts.inFlight.CompareAndSwap(call, nil) }, call.interrupted.Load
}
