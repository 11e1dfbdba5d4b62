package api

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("ping", rpc.Typed(ping))
	rpc.Register("client.open", rpc.Typed(clientOpen))
	rpc.Register("client.close", rpc.Typed(clientClose))
	rpc.Register("client.insert_many", rpc.Typed(insertMany))
	rpc.Register("client.job_get", rpc.Typed(jobGet))
	rpc.Register("client.migrate", rpc.Typed(migrate))
}

type empty struct{}

// ping does nothing: it measures the cost of one trip through the C boundary.
func ping(context.Context, *empty) (bool, error) { return true, nil }

type clientOpenRequest struct {
	URL string `json:"url"`
}

func clientOpen(ctx context.Context, req *clientOpenRequest) (uint64, error) {
	client, err := engine.Open(ctx, req.URL)
	if err != nil {
		return 0, err
	}
	return engine.Clients.Add(client), nil
}

// clientRequest is embedded by every request that acts through a client.
type clientRequest struct {
	Client uint64 `json:"client"`
}

func clientClose(_ context.Context, req *clientRequest) (bool, error) {
	if client := engine.Clients.Remove(req.Client); client != nil {
		client.Close()
	}
	return true, nil
}

type insertManyRequest struct {
	clientRequest
	Jobs []insertParamsWire `json:"jobs"`
}

func insertMany(ctx context.Context, req *insertManyRequest) ([]insertResultWire, error) {
	client, err := engine.Clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	if len(req.Jobs) == 0 {
		return nil, apierr.Invalid("jobs", "no jobs to insert")
	}
	params := make([]river.InsertManyParams, len(req.Jobs))
	for i := range req.Jobs {
		if params[i], err = req.Jobs[i].toRiver(); err != nil {
			return nil, err
		}
	}
	results, err := client.InsertMany(ctx, params)
	if err != nil {
		return nil, riverInsertError(err)
	}
	wire := make([]insertResultWire, len(results))
	for i, result := range results {
		wire[i] = insertResultToWire(result)
	}
	return wire, nil
}

// riverInsertError classifies an insert failure, naming the option River
// rejected when it is a validation error.
func riverInsertError(err error) error {
	if apierr.IsDatabase(err) {
		return apierr.Classify(err, "")
	}
	return apierr.Classify(err, paramForRiverError(err))
}

type jobGetRequest struct {
	clientRequest
	ID int64 `json:"id"`
}

func jobGet(ctx context.Context, req *jobGetRequest) (*jobRowWire, error) {
	client, err := engine.Clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	job, err := client.JobGet(ctx, req.ID)
	if err != nil {
		return nil, apierr.Classify(err, "id")
	}
	return jobRowToWire(job), nil
}

type migrateRequest struct {
	clientRequest
	Direction     rivermigrate.Direction `json:"direction"`
	MaxSteps      int                    `json:"max_steps"`
	TargetVersion int                    `json:"target_version"`
}

type migrateResultWire struct {
	Direction rivermigrate.Direction `json:"direction"`
	Versions  []int                  `json:"versions"`
}

func migrate(ctx context.Context, req *migrateRequest) (*migrateResultWire, error) {
	client, err := engine.Clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	if req.Direction != rivermigrate.DirectionUp && req.Direction != rivermigrate.DirectionDown {
		return nil, apierr.Invalid("direction", "must be %q or %q", rivermigrate.DirectionUp, rivermigrate.DirectionDown)
	}
	result, err := client.Migrate(ctx, req.Direction, &rivermigrate.MigrateOpts{MaxSteps: req.MaxSteps, TargetVersion: req.TargetVersion})
	if err != nil {
		return nil, apierr.Classify(err, "target_version")
	}
	versions := make([]int, len(result.Versions))
	for i, version := range result.Versions {
		versions[i] = version.Version
	}
	return &migrateResultWire{Direction: result.Direction, Versions: versions}, nil
}
