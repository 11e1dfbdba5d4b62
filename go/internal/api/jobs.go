package api

import (
	"cmp"
	"context"
	"slices"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("job_get", rpc.Typed(jobByID(engine.Ops.JobGet)))
	rpc.Register("job_cancel", rpc.Typed(jobByID(engine.Ops.JobCancel)))
	rpc.Register("job_delete", rpc.Typed(jobByID(engine.Ops.JobDelete)))
	rpc.Register("job_retry", rpc.Typed(jobByID(engine.Ops.JobRetry)))
	rpc.Register("job_list", rpc.Typed(jobList))
	rpc.Register("job_delete_many", rpc.Typed(jobDeleteMany))
}

// maxListLimit is River's bound on JobListParams.First and
// JobDeleteManyParams.First, which panic beyond it.
const maxListLimit = 10_000

var allJobStates = rivertype.JobStates() //nolint:gochecknoglobals

type jobIDRequest struct {
	scope
	ID int64 `json:"id"`
}

// jobByID adapts one of River's single-job operations (get, cancel, delete,
// retry), which all take an id and return the job.
func jobByID(operation func(engine.Ops, context.Context, int64) (*rivertype.JobRow, error)) func(context.Context, *jobIDRequest) (*jobRowWire, error) {
	return func(ctx context.Context, req *jobIDRequest) (*jobRowWire, error) {
		job, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*rivertype.JobRow, error) {
			return operation(ops, ctx, req.ID)
		})
		if err != nil {
			return nil, apierr.Classify(err, "id")
		}
		return jobRowToWire(job), nil
	}
}

// jobFiltersWire are the filters job_list and job_delete_many share.
type jobFiltersWire struct {
	IDs        []int64              `json:"ids"`
	Kinds      []string             `json:"kinds"`
	Priorities []int16              `json:"priorities"`
	Queues     []string             `json:"queues"`
	States     []rivertype.JobState `json:"states"`
	Limit      *int                 `json:"limit"`
}

func (f *jobFiltersWire) validate() error {
	for _, state := range f.States {
		if !slices.Contains(allJobStates, state) {
			return apierr.Invalid("states", "unknown job state %q", state)
		}
	}
	return validateLimit(f.Limit)
}

// validateLimit checks a page size against River's bounds (River panics
// outside them).
func validateLimit(limit *int) error {
	if limit != nil && (*limit < 1 || *limit > maxListLimit) {
		return apierr.Invalid("limit", "must be between 1 and %d, got %d", maxListLimit, *limit)
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

// apply adds the filters that were given to River's params. It must follow
// validate: River's First panics on an out-of-range limit.
func applyFilters[P filterable[P]](params P, f *jobFiltersWire) P {
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

func (f *jobFiltersWire) empty() bool {
	return f.IDs == nil && f.Kinds == nil && f.Priorities == nil && f.Queues == nil && f.States == nil
}

type jobListRequest struct {
	scope
	jobFiltersWire
	TagsAll []string `json:"tags_all"`
	TagsAny []string `json:"tags_any"`
	OrderBy string   `json:"order_by"`
	Order   string   `json:"order"`
	After   string   `json:"after"`
}

type jobListResultWire struct {
	Jobs       []*jobRowWire `json:"jobs"`
	LastCursor string        `json:"last_cursor,omitempty"`
}

var sortOrders = map[string]river.SortOrder{"": river.SortOrderAsc, "asc": river.SortOrderAsc, "desc": river.SortOrderDesc} //nolint:gochecknoglobals

func (req *jobListRequest) riverParams() (*river.JobListParams, error) {
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
	params := applyFilters(river.NewJobListParams().OrderBy(field, order), &req.jobFiltersWire)
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

func jobList(ctx context.Context, req *jobListRequest) (*jobListResultWire, error) {
	params, err := req.riverParams()
	if err != nil {
		return nil, err
	}
	result, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*river.JobListResult, error) {
		return ops.JobList(ctx, params)
	})
	if err != nil {
		return nil, apierr.Classify(err, "order_by")
	}
	wire := &jobListResultWire{Jobs: sliceutil.Map(result.Jobs, jobRowToWire)}
	if result.LastCursor != nil {
		if wire.LastCursor, err = encodeCursor(result.LastCursor, req.fingerprint()); err != nil {
			return nil, err
		}
	}
	return wire, nil
}

type jobDeleteManyRequest struct {
	scope
	jobFiltersWire
	UnsafeAll bool `json:"unsafe_all"`
}

func jobDeleteMany(ctx context.Context, req *jobDeleteManyRequest) ([]*jobRowWire, error) {
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
	params = applyFilters(params, &req.jobFiltersWire)
	result, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (*river.JobDeleteManyResult, error) {
		return ops.JobDeleteMany(ctx, params)
	})
	if err != nil {
		return nil, apierr.Classify(err, "filters")
	}
	return sliceutil.Map(result.Jobs, jobRowToWire), nil
}
