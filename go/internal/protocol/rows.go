package protocol

import (
	"strconv"

	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"
)

// JobRow is rivertype.JobRow as Python reads it: the same fields in the same
// order (a test checks both by reflection), times in microseconds, args and
// metadata as River's JSON text. On the wire it is an array in that order.
type JobRow struct {
	ID           int64
	Attempt      int
	AttemptedAt  *int64
	AttemptedBy  []string
	CreatedAt    int64
	EncodedArgs  string
	Errors       []AttemptError
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

// JobRowFields names the elements of an encoded row, in order; Python checks
// its decoder against this list (library.describe).
var JobRowFields = []string{ //nolint:gochecknoglobals // a constant list
	"id", "attempt", "attempted_at", "attempted_by", "created_at", "encoded_args", "errors", "finalized_at",
	"kind", "max_attempts", "metadata", "priority", "queue", "scheduled_at", "state", "tags",
	"unique_key", "unique_states",
}

// MarshalJSON encodes the row as an array in JobRowFields order (for rows
// inside results that encoding/json writes).
func (r *JobRow) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 192+len(r.EncodedArgs)+len(r.Metadata))), nil
}

// AppendJSON writes the row as an array in JobRowFields order, by hand:
// every job handed to a Python worker and every inserted row crosses here,
// and encoding/json's reflection over the 18 boxed fields, then its second
// pass over a Marshaler's bytes, was most of a hand-off's cost in Go (4.7 µs
// a row). A test checks the bytes against encoding/json's.
func (r *JobRow) AppendJSON(out []byte) []byte {
	if r == nil {
		return append(out, "null"...)
	}
	out = append(out, '[')
	out = strconv.AppendInt(out, r.ID, 10)
	out = appendInt(append(out, ','), r.Attempt)
	out = appendOptionalInt64(append(out, ','), r.AttemptedAt)
	out = appendStrings(append(out, ','), r.AttemptedBy)
	out = strconv.AppendInt(append(out, ','), r.CreatedAt, 10)
	out = appendString(append(out, ','), r.EncodedArgs)
	out = appendAttemptErrors(append(out, ','), r.Errors)
	out = appendOptionalInt64(append(out, ','), r.FinalizedAt)
	out = appendString(append(out, ','), r.Kind)
	out = appendInt(append(out, ','), r.MaxAttempts)
	out = appendString(append(out, ','), r.Metadata)
	out = appendInt(append(out, ','), r.Priority)
	out = appendString(append(out, ','), r.Queue)
	out = strconv.AppendInt(append(out, ','), r.ScheduledAt, 10)
	out = appendString(append(out, ','), string(r.State))
	out = appendStrings(append(out, ','), r.Tags)
	out = appendBytes(append(out, ','), r.UniqueKey)
	out = appendStrings(append(out, ','), r.UniqueStates)
	return append(out, ']')
}

// AttemptError is rivertype.AttemptError.
type AttemptError struct {
	AtUs    int64  `json:"at_us"`
	Attempt int    `json:"attempt"`
	Error   string `json:"error"`
	Trace   string `json:"trace"`
}

// NewJobRow encodes River's row.
func NewJobRow(job *rivertype.JobRow) *JobRow {
	return &JobRow{
		ID:           job.ID,
		Attempt:      job.Attempt,
		AttemptedAt:  MicrosPtr(job.AttemptedAt),
		AttemptedBy:  job.AttemptedBy,
		CreatedAt:    Micros(job.CreatedAt),
		EncodedArgs:  string(job.EncodedArgs),
		Errors:       sliceutil.Map(job.Errors, newAttemptError),
		FinalizedAt:  MicrosPtr(job.FinalizedAt),
		Kind:         job.Kind,
		MaxAttempts:  job.MaxAttempts,
		Metadata:     string(job.Metadata),
		Priority:     job.Priority,
		Queue:        job.Queue,
		ScheduledAt:  Micros(job.ScheduledAt),
		State:        job.State,
		Tags:         job.Tags,
		UniqueKey:    job.UniqueKey,
		UniqueStates: job.UniqueStates,
	}
}

// JobRows is a result made of rows.
type JobRows []*JobRow

// NewJobRows encodes River's rows.
func NewJobRows(jobs []*rivertype.JobRow) JobRows { return sliceutil.Map(jobs, NewJobRow) }

// AppendJSON writes the rows as encoding/json would.
func (rows JobRows) AppendJSON(out []byte) []byte {
	return appendList(out, rows, func(out []byte, row *JobRow) []byte { return row.AppendJSON(out) })
}

func newAttemptError(attemptErr rivertype.AttemptError) AttemptError {
	return AttemptError{AtUs: Micros(attemptErr.At), Attempt: attemptErr.Attempt, Error: attemptErr.Error, Trace: attemptErr.Trace}
}

// InsertResult is rivertype.JobInsertResult.
type InsertResult struct {
	Job                      *JobRow `json:"job"`
	UniqueSkippedAsDuplicate bool    `json:"unique_skipped_as_duplicate"`
}

// InsertResults is what an insert returns.
type InsertResults []InsertResult

// AppendJSON writes the results as encoding/json would.
func (results InsertResults) AppendJSON(out []byte) []byte {
	return appendList(out, results, func(out []byte, result InsertResult) []byte {
		out = result.Job.AppendJSON(append(out, `{"job":`...))
		return append(strconv.AppendBool(append(out, `,"unique_skipped_as_duplicate":`...), result.UniqueSkippedAsDuplicate), '}')
	})
}

// NewInsertResults encodes River's insert results.
func NewInsertResults(results []*rivertype.JobInsertResult) InsertResults {
	return sliceutil.Map(results, func(result *rivertype.JobInsertResult) InsertResult {
		return InsertResult{Job: NewJobRow(result.Job), UniqueSkippedAsDuplicate: result.UniqueSkippedAsDuplicate}
	})
}

// Queue is rivertype.Queue.
type Queue struct {
	Name        string `json:"name"`
	CreatedAtUs int64  `json:"created_at_us"`
	Metadata    string `json:"metadata"`
	PausedAtUs  *int64 `json:"paused_at_us"`
	UpdatedAtUs int64  `json:"updated_at_us"`
}

// NewQueue encodes River's queue.
func NewQueue(queue *rivertype.Queue) *Queue {
	return &Queue{
		Name:        queue.Name,
		CreatedAtUs: Micros(queue.CreatedAt),
		Metadata:    string(queue.Metadata),
		PausedAtUs:  MicrosPtr(queue.PausedAt),
		UpdatedAtUs: Micros(queue.UpdatedAt),
	}
}
