// Package work lets Python handlers work jobs inside River's own engine.
//
// River fetches, times out, retries and completes jobs exactly as for Go
// workers; a pythonWorker only hands each job to Python and waits for the
// outcome. Nothing calls into Python: Python threads pull jobs with Next and
// report with Complete (the pull model of docs/architecture.md), so no cffi callback and
// no Go-held GIL is ever involved.
package work

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// OutcomeKind is how a Python handler ended.
type OutcomeKind string

const (
	Completed OutcomeKind = "completed"
	Failed    OutcomeKind = "error"
	Snoozed   OutcomeKind = "snooze"
	Cancelled OutcomeKind = "cancel"
)

// Outcome is what Python reports for a job.
type Outcome struct {
	Kind    OutcomeKind
	Message string
	// Trace is the Python traceback of a failed attempt.
	Trace string
	// Output, if set, is recorded as the job's output (river.RecordOutput).
	Output json.RawMessage
	// Snooze is how long a snoozed job waits.
	Snooze time.Duration
	// NextRetry, if set, overrides the retry policy of a failed attempt (a
	// per-worker next_retry in Python).
	NextRetry *time.Time
}

// Handoff is a job given to Python: a token to report its outcome with, the
// row, and when River's timeout will cancel it.
type Handoff struct {
	Token    uint64
	Job      *rivertype.JobRow
	Deadline *time.Time
	outcome  chan Outcome
}

// Cancellation tells Python that River cancelled a job it is running
// (timeout, JobCancel from a client, or a hard stop).
type Cancellation struct {
	Token  uint64
	Reason string
}

// Poll is what one pull brings Python: jobs to run and cancellation notices
// for jobs running.
type Poll struct {
	Jobs          []*Handoff
	Cancellations []Cancellation
}

// Bridge connects River's worker goroutines to Python's runner threads.
type Bridge struct {
	jobs          chan *Handoff
	cancellations chan Cancellation
	// closed is closed while River is stopped, so that pulls return at once
	// instead of waiting for work that cannot come.
	closed chan struct{}

	mu        sync.Mutex
	nextToken uint64
	running   map[uint64]*Handoff
	// signal, once a runner asked for it, says when work is waiting.
	signal atomic.Pointer[signal]
	// waiting counts jobs registered and not yet taken by a pull. A job
	// raises the signal before it can be received, so a pull that empties
	// the channel while one is on its way raises the signal again.
	waiting atomic.Int64

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
		closed:        make(chan struct{}),
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

	b.waiting.Add(1)
	b.signal.Load().raise()
	select {
	case b.jobs <- handoff: // the pull counts it taken
	case <-ctx.Done():
		b.waiting.Add(-1)
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
		b.signal.Load().raise()
	default:
	}
}

// Signal returns a descriptor that becomes readable when work is waiting
// (see signal): a duplicate the caller owns and closes. A runner that waits
// on it pulls with a timeout of 0.
func (b *Bridge) Signal() (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.signal.Load() == nil {
		created, err := newSignal()
		if err != nil {
			return -1, err
		}
		b.signal.Store(created)
	}
	return b.signal.Load().descriptor()
}

// Release ends the signal's pipe, for good: the client is closed.
func (b *Bridge) Release() {
	if current := b.signal.Load(); current != nil {
		current.close()
	}
}

// Next waits up to timeout for work and returns what is waiting: up to max
// jobs (none when max is 0) and every cancellation notice. It returns at
// once while the bridge is closed. One runner thread per client pulls, asking
// for as many jobs as it has slots (River never runs more jobs than that),
// so an idle client costs one call per timeout. With a timeout of 0 (a
// runner woken by the signal) it takes only what is ready, without waiting
// for the rest of a batch: what comes later raises the signal again.
func (b *Bridge) Next(max int, timeout time.Duration) Poll {
	if timeout <= 0 {
		return b.ready(max)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	jobs := b.jobs
	if max <= 0 {
		jobs = nil // a nil channel is never ready
	}
	var poll Poll
	select {
	case handoff := <-jobs:
		poll.Jobs = append(poll.Jobs, handoff)
	case notice := <-b.cancellations:
		poll.Cancellations = append(poll.Cancellations, notice)
	case <-b.closedChannel():
	case <-timer.C:
		return poll
	}
	poll.Jobs = b.gather(poll.Jobs, max)
	b.waiting.Add(-int64(len(poll.Jobs)))
	return b.withCancellations(poll)
}

func (b *Bridge) ready(max int) Poll {
	b.signal.Load().pulled()
	poll := Poll{Jobs: b.takeReady(nil, max)}
	if b.waiting.Add(-int64(len(poll.Jobs))) > 0 {
		b.signal.Load().raise() // one is on its way to the channel, or beyond max
	}
	return b.withCancellations(poll)
}

// takeReady adds the jobs already waiting in the channel, up to max.
func (b *Bridge) takeReady(jobs []*Handoff, max int) []*Handoff {
	for len(jobs) < max {
		select {
		case handoff := <-b.jobs:
			jobs = append(jobs, handoff)
		default:
			return jobs
		}
	}
	return jobs
}

func (b *Bridge) withCancellations(poll Poll) Poll {
	for {
		select {
		case notice := <-b.cancellations:
			poll.Cancellations = append(poll.Cancellations, notice)
		default:
			return poll
		}
	}
}

// gatherYields is how many times in a row gather lets other goroutines run
// without a job arriving before it returns what it has.
const gatherYields = 3

// gather adds the jobs that are ready, up to max. River starts a fetched
// batch's executors one after another, each handing its job over as it
// starts, so right after the first job the others are moments away:
// yielding to them a few times turns one pull per job into one pull per
// batch, without a timer or a wait when nothing more is coming.
func (b *Bridge) gather(jobs []*Handoff, max int) []*Handoff {
	for idle := 0; len(jobs) < max && idle < gatherYields; {
		before := len(jobs)
		if jobs = b.takeReady(jobs, max); len(jobs) > before {
			idle = 0
			continue
		}
		runtime.Gosched()
		idle++
	}
	return jobs
}

func (b *Bridge) closedChannel() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// Close ends every pull in progress, and makes later ones return at once,
// until Open: River stopped, and Python's runner must not wait out its
// timeout to notice. Closing twice is harmless.
func (b *Bridge) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.closed:
	default:
		close(b.closed)
	}
}

// Open makes pulls wait for work again, before River starts.
func (b *Bridge) Open() {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.closed:
		b.closed = make(chan struct{})
	default:
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
