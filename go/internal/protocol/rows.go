package protocol

import (
	"bytes"
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
	for i, appendField := range jobRowFieldAppenders {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendField(out, r)
	}
	return append(out, ']')
}

// jobRowFieldAppenders write a row's fields, one each, in JobRowFields
// order: a whole row (AppendJSON) or one column of many (InsertResults).
//
//nolint:gochecknoglobals // a constant table
var jobRowFieldAppenders = [...]func(out []byte, r *JobRow) []byte{
	func(out []byte, r *JobRow) []byte { return strconv.AppendInt(out, r.ID, 10) },
	func(out []byte, r *JobRow) []byte { return appendInt(out, r.Attempt) },
	func(out []byte, r *JobRow) []byte { return appendOptionalInt64(out, r.AttemptedAt) },
	func(out []byte, r *JobRow) []byte { return appendStrings(out, r.AttemptedBy) },
	func(out []byte, r *JobRow) []byte { return strconv.AppendInt(out, r.CreatedAt, 10) },
	func(out []byte, r *JobRow) []byte { return appendString(out, r.EncodedArgs) },
	func(out []byte, r *JobRow) []byte { return appendAttemptErrors(out, r.Errors) },
	func(out []byte, r *JobRow) []byte { return appendOptionalInt64(out, r.FinalizedAt) },
	func(out []byte, r *JobRow) []byte { return appendString(out, r.Kind) },
	func(out []byte, r *JobRow) []byte { return appendInt(out, r.MaxAttempts) },
	func(out []byte, r *JobRow) []byte { return appendString(out, r.Metadata) },
	func(out []byte, r *JobRow) []byte { return appendInt(out, r.Priority) },
	func(out []byte, r *JobRow) []byte { return appendString(out, r.Queue) },
	func(out []byte, r *JobRow) []byte { return strconv.AppendInt(out, r.ScheduledAt, 10) },
	func(out []byte, r *JobRow) []byte { return appendString(out, string(r.State)) },
	func(out []byte, r *JobRow) []byte { return appendStrings(out, r.Tags) },
	func(out []byte, r *JobRow) []byte { return appendBytes(out, r.UniqueKey) },
	func(out []byte, r *JobRow) []byte { return appendStrings(out, r.UniqueStates) },
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
	Job                      *JobRow
	UniqueSkippedAsDuplicate bool
}

// InsertResults is what an insert returns.
type InsertResults []InsertResult

// AppendJSON writes the results by column: {"count": n, "columns": [...],
// "varying": [...]}, one column per JobRowFields element and a last one for
// unique_skipped_as_duplicate. A column whose value is the same in every
// result is that value; the others are the lists of the results' values,
// and "varying" lists their positions.
//
// The rows of one insert differ in little more than their ids and args, so
// a batch of 10,000 crosses as about two lists instead of 10,000 arrays of
// 18 values: a seventh of the bytes, and far fewer objects for Python to
// build before anything is read. A single insert's columns are one row's
// values, which Python takes as they come.
func (results InsertResults) AppendJSON(out []byte) []byte {
	out = strconv.AppendInt(append(out, `{"count":`...), int64(len(results)), 10)
	out = append(out, `,"columns":[`...)
	var varying [len(jobRowFieldAppenders) + 1]bool
	for position, appendField := range jobRowFieldAppenders {
		out, varying[position] = appendColumn(out, len(results), func(out []byte, i int) []byte { return appendField(out, results[i].Job) })
		out = append(out, ',')
	}
	out, varying[len(jobRowFieldAppenders)] = appendColumn(out, len(results), func(out []byte, i int) []byte {
		return strconv.AppendBool(out, results[i].UniqueSkippedAsDuplicate)
	})
	out = append(out, `],"varying":[`...)
	first := true
	for position, isVarying := range varying {
		if isVarying {
			if !first {
				out = append(out, ',')
			}
			out, first = strconv.AppendInt(out, int64(position), 10), false
		}
	}
	return append(out, "]}"...)
}

// appendColumn writes n values as a list, or the value alone when all n are
// alike, and reports whether it wrote a list.
func appendColumn(out []byte, n int, appendValue func(out []byte, i int) []byte) ([]byte, bool) {
	start := len(out)
	out = append(out, '[')
	var firstStart, firstEnd int
	same := true
	for i := range n {
		if i > 0 {
			out = append(out, ',')
		}
		valueStart := len(out)
		out = appendValue(out, i)
		if i == 0 {
			firstStart, firstEnd = valueStart, len(out)
		} else if same && !bytes.Equal(out[valueStart:], out[firstStart:firstEnd]) {
			same = false
		}
	}
	if n == 0 || !same {
		return append(out, ']'), true
	}
	// The value moves one byte left, over the list's opening bracket.
	return append(out[:start], out[firstStart:firstEnd]...), false
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
