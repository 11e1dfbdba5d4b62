package api

import (
	"context"
	"errors"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/insertmw"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("insert_many", rpc.Typed(insertMany))
	rpc.Register("insert_many_fast", rpc.Typed(insertManyFast))
}

type insertManyRequest struct {
	scope
	Jobs []insertParamsWire `json:"jobs"`
	// Prepare asks for the parameters River fills in, writing nothing; the
	// first half of an insert through Python's insert middleware.
	Prepare bool `json:"prepare"`
	// Overrides, if set, replace River's filled parameters (the second half).
	Overrides []filledParamsWire `json:"overrides"`
}

// context applies the insert middleware mode the request asks for.
func (req *insertManyRequest) context(ctx context.Context) (context.Context, func() []*rivertype.JobInsertParams, error) {
	if req.Prepare {
		ctx, captured := insertmw.WithCapture(ctx)
		return ctx, captured, nil
	}
	if req.Overrides != nil {
		overrides, err := sliceutil.MapError(req.Overrides, func(override filledParamsWire) (*rivertype.JobInsertParams, error) {
			if err := override.validate(); err != nil {
				return nil, err
			}
			return override.toRiver(), nil
		})
		if err != nil {
			return nil, nil, err
		}
		ctx = insertmw.WithOverrides(ctx, overrides)
	}
	return ctx, nil, nil
}

func (req *insertManyRequest) riverParams() ([]river.InsertManyParams, error) {
	if len(req.Jobs) == 0 {
		return nil, apierr.Invalid("jobs", "no jobs to insert")
	}
	return sliceutil.MapError(req.Jobs, func(job insertParamsWire) (river.InsertManyParams, error) { return job.toRiver() })
}

func insertMany(ctx context.Context, req *insertManyRequest) (any, error) {
	params, err := req.riverParams()
	if err != nil {
		return nil, err
	}
	ctx, captured, err := req.context(ctx)
	if err != nil {
		return nil, err
	}
	results, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) ([]*rivertype.JobInsertResult, error) {
		return ops.InsertMany(ctx, params)
	})
	if captured != nil && errors.Is(err, insertmw.ErrCaptured) {
		return sliceutil.Map(captured(), filledParamsToWire), nil
	}
	if err != nil {
		return nil, riverInsertError(err)
	}
	return sliceutil.Map(results, insertResultToWire), nil
}

func insertManyFast(ctx context.Context, req *insertManyRequest) (int, error) {
	params, err := req.riverParams()
	if err != nil {
		return 0, err
	}
	count, err := withOps(ctx, req.scope, func(ctx context.Context, ops engine.Ops) (int, error) { return ops.InsertManyFast(ctx, params) })
	if err != nil {
		return 0, riverInsertError(err)
	}
	return count, nil
}

// riverInsertError classifies an insert failure, naming the option River
// rejected when it is a validation error.
func riverInsertError(err error) error {
	if apierr.IsDatabase(err) {
		return apierr.Classify(err, "")
	}
	return apierr.Classify(err, paramForRiverError(err))
}
