// Package work lets Python handlers work jobs inside River's own engine.
//
// River fetches, times out, retries and completes jobs exactly as for Go
// workers; a pythonWorker only hands each job to Python and waits for the
// outcome. Nothing calls into Python: Python threads pull jobs with Next and
// report with Complete (the pull model of DESIGN.md), so no cffi callback and
// no Go-held GIL is ever involved.
package work

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// Outcome is what Python reports for a job.
type Outcome struct {
	// Kind is "completed", "error", "snooze" or "cancel".
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Trace is the Python traceback of a failed attempt.
	Trace string `json:"trace"`
	// Output, if set, is recorded as the job's output (river.RecordOutput).
	Output json.RawMessage `json:"output"`
	// SnoozeSeconds is the snooze duration for Kind "snooze".
	SnoozeSeconds float64 `json:"snooze_seconds"`
	// NextRetry, in Unix microseconds, overrides the retry policy for Kind
	// "error" (a per-worker next_retry in Python).
	NextRetry *int64 `json:"next_retry"`
}

// Handoff is a job given to Python: a token to report its outcome with, the
// row, and when River's timeout will cancel it.
type Handoff struct {
	Token    uint64            `json:"token"`
	Job      *rivertype.JobRow `json:"-"`
	Deadline *time.Time        `json:"-"`
	outcome  chan Outcome
}

// Cancellation tells Python that River cancelled a job it is running
// (timeout, JobCancel from a client, or a hard stop).
type Cancellation struct {
	Token  uint64 `json:"token"`
	Reason string `json:"reason"`
}

// Bridge connects River's worker goroutines to Python's runner threads.
type Bridge struct {
	jobs          chan *Handoff
	cancellations chan Cancellation

	mu        sync.Mutex
	nextToken uint64
	running   map[uint64]*Handoff

	traces traces
}

// cancellationBuffer bounds notices waiting for Python's watcher thread. A
// notice is only advice to a handler; if the buffer is full it is dropped,
// never blocking River.
const cancellationBuffer = 4096

// NewBridge makes a bridge.
func NewBridge() *Bridge {
	return &Bridge{
		jobs:          make(chan *Handoff),
		cancellations: make(chan Cancellation, cancellationBuffer),
		running:       map[uint64]*Handoff{},
	}
}

// run hands a job to Python and waits for its outcome or for River to
// cancel it, whichever comes first.
func (b *Bridge) run(ctx context.Context, job *rivertype.JobRow) (Outcome, error) {
	handoff := &Handoff{Job: job, outcome: make(chan Outcome, 1)}
	if deadline, ok := ctx.Deadline(); ok {
		handoff.Deadline = &deadline
	}
	b.mu.Lock()
	b.nextToken++
	handoff.Token = b.nextToken
	b.running[handoff.Token] = handoff
	b.mu.Unlock()
	defer b.forget(handoff.Token)

	select {
	case b.jobs <- handoff:
	case <-ctx.Done():
		return Outcome{}, ctx.Err()
	}
	select {
	case outcome := <-handoff.outcome:
		return outcome, nil
	case <-ctx.Done():
		b.notifyCancelled(handoff.Token, ctx)
		return Outcome{}, ctx.Err()
	}
}

func (b *Bridge) forget(token uint64) {
	b.mu.Lock()
	delete(b.running, token)
	b.mu.Unlock()
}

func (b *Bridge) notifyCancelled(token uint64, ctx context.Context) {
	reason := "cancelled"
	if cause := context.Cause(ctx); cause != nil {
		reason = cause.Error()
	}
	if ctx.Err() == context.DeadlineExceeded {
		reason = "timeout"
	}
	select {
	case b.cancellations <- Cancellation{Token: token, Reason: reason}:
	default:
	}
}

// Next waits up to timeout for a job to hand to Python; nil if none came.
// Python calls it from each runner thread with a short timeout so that
// Ctrl-C and stop requests are noticed promptly.
func (b *Bridge) Next(timeout time.Duration) *Handoff {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case handoff := <-b.jobs:
		return handoff
	case <-timer.C:
		return nil
	}
}

// NextCancellations waits up to timeout for cancellation notices and returns
// all that are waiting.
func (b *Bridge) NextCancellations(timeout time.Duration) []Cancellation {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var notices []Cancellation
	select {
	case notice := <-b.cancellations:
		notices = append(notices, notice)
	case <-timer.C:
		return nil
	}
	for {
		select {
		case notice := <-b.cancellations:
			notices = append(notices, notice)
		default:
			return notices
		}
	}
}

// Complete reports a job's outcome. It returns false if River no longer
// waits for it (it timed out or was cancelled first); the outcome is then
// dropped, as River has already recorded the attempt.
func (b *Bridge) Complete(token uint64, outcome Outcome) bool {
	b.mu.Lock()
	handoff, ok := b.running[token]
	b.mu.Unlock()
	if !ok {
		return false
	}
	select {
	case handoff.outcome <- outcome:
		return true
	default:
		return false
	}
}
