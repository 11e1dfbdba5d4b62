package api

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("insert_many", rpc.Typed(insertMany))
	rpc.Register("insert_many_fast", rpc.Typed(insertManyFast))
}

type insertManyRequest struct {
	scope
	Jobs []insertParamsWire `json:"jobs"`
}

func (req *insertManyRequest) riverParams() ([]river.InsertManyParams, error) {
	if len(req.Jobs) == 0 {
		return nil, apierr.Invalid("jobs", "no jobs to insert")
	}
	params := make([]river.InsertManyParams, len(req.Jobs))
	for i := range req.Jobs {
		var err error
		if params[i], err = req.Jobs[i].toRiver(); err != nil {
			return nil, err
		}
	}
	return params, nil
}

func insertMany(ctx context.Context, req *insertManyRequest) ([]insertResultWire, error) {
	params, err := req.riverParams()
	if err != nil {
		return nil, err
	}
	results, err := withOps(req.scope, func(ops engine.Ops) ([]*rivertype.JobInsertResult, error) {
		return ops.InsertMany(ctx, params)
	})
	if err != nil {
		return nil, riverInsertError(err)
	}
	wire := make([]insertResultWire, len(results))
	for i, result := range results {
		wire[i] = insertResultToWire(result)
	}
	return wire, nil
}

func insertManyFast(ctx context.Context, req *insertManyRequest) (int, error) {
	params, err := req.riverParams()
	if err != nil {
		return 0, err
	}
	count, err := withOps(req.scope, func(ops engine.Ops) (int, error) { return ops.InsertManyFast(ctx, params) })
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
