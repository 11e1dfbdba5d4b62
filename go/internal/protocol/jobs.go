package protocol

import (
	"cmp"
	"slices"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// MaxListLimit is River's bound on JobListParams.First and
// JobDeleteManyParams.First, which panic beyond it.
const MaxListLimit = 10_000

// JobIDRequest names one job (job.get, job.cancel, job.delete, job.retry).
type JobIDRequest struct {
	Scope
	ID int64 `json:"id"`
}

// JobFilters are the filters job.list and job.delete_many share; nil means
// "no filter".
type JobFilters struct {
	IDs        []int64              `json:"ids"`
	Kinds      []string             `json:"kinds"`
	Priorities []int16              `json:"priorities"`
	Queues     []string             `json:"queues"`
	States     []rivertype.JobState `json:"states"`
	Limit      *int                 `json:"limit"`
}

func (f *JobFilters) validate() error {
	for _, state := range f.States {
		if !slices.Contains(rivertype.JobStates(), state) {
			return apierr.Invalid("states", "unknown job state %q", state)
		}
	}
	return CheckLimit(f.Limit)
}

// CheckLimit checks a page size against River's bounds (River panics
// outside them).
func CheckLimit(limit *int) error {
	if limit != nil && (*limit < 1 || *limit > MaxListLimit) {
		return apierr.Invalid("limit", "must be between 1 and %d, got %d", MaxListLimit, *limit)
	}
	return nil
}

// filterable is what River's JobListParams and JobDeleteManyParams share:
// builder methods returning an updated copy.
type filterable[P any] interface {
	IDs(ids ...int64) P
	Kinds(kinds ...string) P
	Priorities(priorities ...int16) P
	Queues(queues ...string) P
	States(states ...rivertype.JobState) P
	First(count int) P
}

// applyFilters adds the filters that were given to River's params. It must
// follow validate: River's First panics on an out-of-range limit.
func applyFilters[P filterable[P]](params P, f *JobFilters) P {
	if f.IDs != nil {
		params = params.IDs(f.IDs...)
	}
	if f.Kinds != nil {
		params = params.Kinds(f.Kinds...)
	}
	if f.Priorities != nil {
		params = params.Priorities(f.Priorities...)
	}
	if f.Queues != nil {
		params = params.Queues(f.Queues...)
	}
	if f.States != nil {
		params = params.States(f.States...)
	}
	if f.Limit != nil {
		params = params.First(*f.Limit)
	}
	return params
}

func (f *JobFilters) empty() bool {
	return f.IDs == nil && f.Kinds == nil && f.Priorities == nil && f.Queues == nil && f.States == nil
}

// JobListRequest lists jobs (job.list).
type JobListRequest struct {
	Scope
	JobFilters
	TagsAll []string `json:"tags_all"`
	TagsAny []string `json:"tags_any"`
	OrderBy string   `json:"order_by"`
	Order   string   `json:"order"`
	After   string   `json:"after"`
}

// JobListResult is a page of jobs and the cursor to the next.
type JobListResult struct {
	Jobs       []*JobRow `json:"jobs"`
	LastCursor string    `json:"last_cursor,omitempty"`
}

var sortOrders = map[string]river.SortOrder{"": river.SortOrderAsc, "asc": river.SortOrderAsc, "desc": river.SortOrderDesc} //nolint:gochecknoglobals // read-only

// River converts the request to River's params.
func (req *JobListRequest) River() (*river.JobListParams, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	order, ok := sortOrders[req.Order]
	if !ok {
		return nil, apierr.Invalid("order", "must be \"asc\" or \"desc\", got %q", req.Order)
	}
	field := river.JobListOrderByField(cmp.Or(req.OrderBy, string(river.JobListOrderByID)))
	switch field {
	case river.JobListOrderByID, river.JobListOrderByScheduledAt, river.JobListOrderByFinalizedAt, river.JobListOrderByTime:
	default:
		return nil, apierr.Invalid("order_by", "must be one of id, scheduled_at, finalized_at, time; got %q", req.OrderBy)
	}
	params := applyFilters(river.NewJobListParams().OrderBy(field, order), &req.JobFilters)
	if req.TagsAll != nil {
		params = params.TagsAll(req.TagsAll...)
	}
	if req.TagsAny != nil {
		params = params.TagsAny(req.TagsAny...)
	}
	if req.After != "" {
		cursor, err := decodeCursor(req.After, req.fingerprint())
		if err != nil {
			return nil, err
		}
		params = params.After(cursor)
	}
	return params, nil
}

// Result encodes River's page with a cursor bound to this listing.
func (req *JobListRequest) Result(result *river.JobListResult) (*JobListResult, error) {
	wire := &JobListResult{Jobs: NewJobRows(result.Jobs)}
	if result.LastCursor != nil {
		var err error
		if wire.LastCursor, err = encodeCursor(result.LastCursor, req.fingerprint()); err != nil {
			return nil, apierr.New(apierr.Internal, "cannot encode River's cursor: %v", err)
		}
	}
	return wire, nil
}

// JobDeleteManyRequest deletes the jobs matching the filters
// (job.delete_many).
type JobDeleteManyRequest struct {
	Scope
	JobFilters
	UnsafeAll bool `json:"unsafe_all"`
}

// River converts the request to River's params; with no filter it refuses
// unless UnsafeAll says to delete everything.
func (req *JobDeleteManyRequest) River() (*river.JobDeleteManyParams, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	params := river.NewJobDeleteManyParams()
	switch {
	case req.UnsafeAll && !req.empty():
		return nil, apierr.Invalid("unsafe_all", "deletes every job and cannot be combined with filters")
	case req.UnsafeAll:
		params = params.UnsafeAll()
	case req.empty():
		return nil, apierr.Invalid("unsafe_all", "job_delete_many with no filter would delete every job; give a filter, or unsafe_all=True to really delete them all")
	}
	return applyFilters(params, &req.JobFilters), nil
}
