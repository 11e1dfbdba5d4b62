package protocol

import (
	"encoding/json"
	"strconv"

	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/work"
)

// WorkerNextRequest asks for work (worker.next): up to Max jobs for the
// runner's free slots (0 when all are busy) and any cancellation notices,
// waiting up to TimeoutSeconds for either.
type WorkerNextRequest struct {
	ClientRequest
	Max            int     `json:"max"`
	TimeoutSeconds float64 `json:"timeout_seconds"`
}

// Work is what worker.next returns.
type Work struct {
	Jobs          []Handoff      `json:"jobs"`
	Cancellations []Cancellation `json:"cancellations"`
}

// Handoff is a job given to Python: the token to report its outcome with,
// the row, and when River's timeout will cancel it.
type Handoff struct {
	Token      uint64  `json:"token"`
	Job        *JobRow `json:"job"`
	DeadlineUs *int64  `json:"deadline_us"`
}

// Cancellation tells Python that River cancelled a job it is running
// (timeout, JobCancel from a client, or a hard stop).
type Cancellation struct {
	Token  uint64 `json:"token"`
	Reason string `json:"reason"`
}

// NewWork encodes the bridge's poll.
func NewWork(poll work.Poll) *Work {
	return &Work{
		Jobs: sliceutil.Map(poll.Jobs, func(handoff *work.Handoff) Handoff {
			return Handoff{Token: handoff.Token, Job: NewJobRow(handoff.Job), DeadlineUs: MicrosPtr(handoff.Deadline)}
		}),
		Cancellations: sliceutil.Map(poll.Cancellations, func(notice work.Cancellation) Cancellation {
			return Cancellation{Token: notice.Token, Reason: notice.Reason}
		}),
	}
}

// AppendJSON writes the work as encoding/json would: a pull brings up to a
// hundred rows, and this is their whole cost in Go.
func (w *Work) AppendJSON(out []byte) []byte {
	if w == nil {
		return append(out, "null"...)
	}
	out = appendList(append(out, `{"jobs":`...), w.Jobs, func(out []byte, handoff Handoff) []byte {
		out = strconv.AppendUint(append(out, `{"token":`...), handoff.Token, 10)
		out = handoff.Job.AppendJSON(append(out, `,"job":`...))
		return append(appendOptionalInt64(append(out, `,"deadline_us":`...), handoff.DeadlineUs), '}')
	})
	out = appendList(append(out, `,"cancellations":`...), w.Cancellations, func(out []byte, notice Cancellation) []byte {
		out = strconv.AppendUint(append(out, `{"token":`...), notice.Token, 10)
		return append(appendString(append(out, `,"reason":`...), notice.Reason), '}')
	})
	return append(out, '}')
}

// CompleteRequest reports the outcomes of one or more jobs
// (worker.complete): a runner sends every outcome that is ready in one call.
type CompleteRequest struct {
	ClientRequest
	// Completed holds the tokens of jobs whose handler returned nothing, the
	// commonest outcome by far: a bare token each, which Go reads in a tenth
	// of the time of a Completion object.
	Completed   []uint64     `json:"completed"`
	Completions []Completion `json:"completions"`
}

// Completion is one job's outcome, by the token of its hand-off.
type Completion struct {
	Token   uint64  `json:"token"`
	Outcome Outcome `json:"outcome"`
}

// Outcome is what Python reports for a job.
type Outcome struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Trace is the Python traceback of a failed attempt.
	Trace string `json:"trace"`
	// Output, if set, is recorded as the job's output (river.RecordOutput).
	Output json.RawMessage `json:"output"`
	// SnoozeSeconds is the snooze duration of a snoozed job.
	SnoozeSeconds float64 `json:"snooze_seconds"`
	// NextRetryUs overrides the retry policy of a failed attempt (a
	// per-worker next_retry in Python).
	NextRetryUs *int64 `json:"next_retry_us"`
}

// Work converts the outcome for the bridge.
func (o *Outcome) Work() (work.Outcome, error) {
	kind := work.OutcomeKind(o.Kind)
	switch kind {
	case work.Completed, work.Failed, work.Snoozed, work.Cancelled:
	default:
		return work.Outcome{}, apierr.Invalid("outcome.kind", "unknown outcome %q", o.Kind)
	}
	return work.Outcome{
		Kind: kind, Message: o.Message, Trace: o.Trace, Output: o.Output,
		Snooze: Duration(o.SnoozeSeconds), NextRetry: FromMicrosPtr(o.NextRetryUs),
	}, nil
}
