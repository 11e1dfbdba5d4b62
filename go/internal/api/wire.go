// Package api defines pyriver's RPC methods: the JSON shapes Python sends and
// receives, and their translation to and from River's types. Times cross as
// integer microseconds since the Unix epoch in UTC, exact in both languages
// and the precision PostgreSQL stores.
package api

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// micros encodes a time for the wire.
func micros(t time.Time) int64 { return t.UnixMicro() }

// microsPtr encodes an optional time; nil stays null.
func microsPtr(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	value := t.UnixMicro()
	return &value
}

// fromMicros decodes a wire time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// jobRowWire is rivertype.JobRow as Python reads it. encoded_args and
// metadata are sent as JSON text (not re-encoded objects) so that Python sees
// exactly the bytes River stored. On the wire a row is an array in field
// order (see MarshalJSON): a batch insert returns thousands of rows, and
// repeating every key in each would nearly double what Python decodes.
type jobRowWire struct {
	ID           int64
	Attempt      int
	AttemptedAt  *int64
	AttemptedBy  []string
	CreatedAt    int64
	EncodedArgs  string
	Errors       []attemptErrorWire
	FinalizedAt  *int64
	Kind         string
	MaxAttempts  int
	Metadata     string
	Priority     int
	Queue        string
	ScheduledAt  int64
	State        rivertype.JobState
	Tags         []string
	UniqueKey    []byte
	UniqueStates []rivertype.JobState
}

// MarshalJSON encodes the row as an array in field order; _wire.py's
// job_row_from_wire unpacks it in the same order.
func (w *jobRowWire) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{
		w.ID, w.Attempt, w.AttemptedAt, w.AttemptedBy, w.CreatedAt, w.EncodedArgs, w.Errors, w.FinalizedAt,
		w.Kind, w.MaxAttempts, w.Metadata, w.Priority, w.Queue, w.ScheduledAt, w.State, w.Tags,
		w.UniqueKey, w.UniqueStates,
	})
}

type attemptErrorWire struct {
	At      int64  `json:"at"`
	Attempt int    `json:"attempt"`
	Error   string `json:"error"`
	Trace   string `json:"trace"`
}

func jobRowToWire(job *rivertype.JobRow) *jobRowWire {
	errs := sliceutil.Map(job.Errors, func(attemptErr rivertype.AttemptError) attemptErrorWire {
		return attemptErrorWire{At: micros(attemptErr.At), Attempt: attemptErr.Attempt, Error: attemptErr.Error, Trace: attemptErr.Trace}
	})
	return &jobRowWire{
		ID:           job.ID,
		Attempt:      job.Attempt,
		AttemptedAt:  microsPtr(job.AttemptedAt),
		AttemptedBy:  job.AttemptedBy,
		CreatedAt:    micros(job.CreatedAt),
		EncodedArgs:  string(job.EncodedArgs),
		Errors:       errs,
		FinalizedAt:  microsPtr(job.FinalizedAt),
		Kind:         job.Kind,
		MaxAttempts:  job.MaxAttempts,
		Metadata:     string(job.Metadata),
		Priority:     job.Priority,
		Queue:        job.Queue,
		ScheduledAt:  micros(job.ScheduledAt),
		State:        job.State,
		Tags:         job.Tags,
		UniqueKey:    job.UniqueKey,
		UniqueStates: job.UniqueStates,
	}
}

type insertResultWire struct {
	Job                      *jobRowWire `json:"job"`
	UniqueSkippedAsDuplicate bool        `json:"unique_skipped_as_duplicate"`
}

func insertResultToWire(result *rivertype.JobInsertResult) insertResultWire {
	return insertResultWire{Job: jobRowToWire(result.Job), UniqueSkippedAsDuplicate: result.UniqueSkippedAsDuplicate}
}

// filledParamsWire is rivertype.JobInsertParams as River filled them, for
// Python's insert middleware to read and change.
type filledParamsWire struct {
	Kind         string             `json:"kind"`
	EncodedArgs  string             `json:"encoded_args"`
	MaxAttempts  int                `json:"max_attempts"`
	Metadata     string             `json:"metadata"`
	Priority     int                `json:"priority"`
	Queue        string             `json:"queue"`
	ScheduledAt  *int64             `json:"scheduled_at"`
	State        rivertype.JobState `json:"state"`
	Tags         []string           `json:"tags"`
	UniqueKey    []byte             `json:"unique_key"`
	UniqueStates byte               `json:"unique_states"`
}

func filledParamsToWire(params *rivertype.JobInsertParams) filledParamsWire {
	return filledParamsWire{
		Kind: params.Kind, EncodedArgs: string(params.EncodedArgs), MaxAttempts: params.MaxAttempts,
		Metadata: string(params.Metadata), Priority: params.Priority, Queue: params.Queue,
		ScheduledAt: microsPtr(params.ScheduledAt), State: params.State, Tags: params.Tags,
		UniqueKey: params.UniqueKey, UniqueStates: params.UniqueStates,
	}
}

// validate checks what River checked before the middleware changed it.
func (p *filledParamsWire) validate() error {
	switch {
	case p.Kind == "":
		return apierr.Invalid("params.kind", "must not be empty")
	case !json.Valid([]byte(p.EncodedArgs)):
		return apierr.Invalid("params.encoded_args", "must be valid JSON")
	case !json.Valid([]byte(p.Metadata)):
		return apierr.Invalid("params.metadata", "must be valid JSON")
	case p.Priority < 1 || p.Priority > 4:
		return apierr.Invalid("params.priority", "must be between 1 and 4, got %d", p.Priority)
	case p.MaxAttempts < 1:
		return apierr.Invalid("params.max_attempts", "must be at least 1, got %d", p.MaxAttempts)
	case p.Queue == "":
		return apierr.Invalid("params.queue", "must not be empty")
	case !slices.Contains(allJobStates, p.State):
		return apierr.Invalid("params.state", "unknown job state %q", p.State)
	}
	return nil
}

func (p *filledParamsWire) toRiver() *rivertype.JobInsertParams {
	params := &rivertype.JobInsertParams{
		Kind: p.Kind, EncodedArgs: []byte(p.EncodedArgs), MaxAttempts: p.MaxAttempts, Metadata: []byte(p.Metadata),
		Priority: p.Priority, Queue: p.Queue, State: p.State, Tags: p.Tags,
	}
	if p.ScheduledAt != nil {
		scheduledAt := fromMicros(*p.ScheduledAt)
		params.ScheduledAt = &scheduledAt
	}
	return params
}
