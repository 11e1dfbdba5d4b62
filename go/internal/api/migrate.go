package api

import (
	"context"
	"slices"

	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("migrate", rpc.Typed(migrate))
	rpc.Register("migrate_validate", rpc.Typed(migrateValidate))
	rpc.Register("migrate_versions", rpc.Typed(migrateVersions))
}

type migrateRequest struct {
	clientRequest
	Direction     rivermigrate.Direction `json:"direction"`
	MaxSteps      *int                   `json:"max_steps"`
	TargetVersion *int                   `json:"target_version"`
}

// riverOpts translates Python's options to River's. Python says
// target_version=0 for "remove River's schema", which River spells -1; and
// an explicit max_steps must be at least 1 (River reads 0 as "default").
func (req *migrateRequest) riverOpts() (*rivermigrate.MigrateOpts, error) {
	opts := &rivermigrate.MigrateOpts{}
	if req.MaxSteps != nil {
		if *req.MaxSteps < 1 {
			return nil, apierr.Invalid("max_steps", "must be at least 1, got %d", *req.MaxSteps)
		}
		opts.MaxSteps = *req.MaxSteps
	}
	if req.TargetVersion != nil {
		switch {
		case *req.TargetVersion < 0:
			return nil, apierr.Invalid("target_version", "must be a version number, got %d", *req.TargetVersion)
		case *req.TargetVersion == 0 && req.Direction == rivermigrate.DirectionDown:
			opts.TargetVersion = -1
		case *req.TargetVersion == 0:
			return nil, apierr.Invalid("target_version", "0 is only meaningful when migrating down")
		default:
			opts.TargetVersion = *req.TargetVersion
		}
	}
	return opts, nil
}

// migratorFor is the client's migrator, working in the application's
// transaction when the call runs on an application connection.
func migratorFor(ctx context.Context, handle uint64) (engine.Migrator, error) {
	client, err := clients.Get(handle)
	if err != nil {
		return nil, err
	}
	if appTx := appTxFrom(ctx); appTx != nil {
		return client.AppMigrator(appTx), nil
	}
	return client.Migrator(), nil
}

func migrate(ctx context.Context, req *migrateRequest) ([]int, error) {
	if req.Direction != rivermigrate.DirectionUp && req.Direction != rivermigrate.DirectionDown {
		return nil, apierr.Invalid("direction", "must be %q or %q", rivermigrate.DirectionUp, rivermigrate.DirectionDown)
	}
	opts, err := req.riverOpts()
	if err != nil {
		return nil, err
	}
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	result, err := migrator.Migrate(ctx, req.Direction, opts)
	if err != nil {
		return nil, apierr.Classify(err, "target_version")
	}
	return sliceutil.Map(result.Versions, func(version rivermigrate.MigrateVersion) int { return version.Version }), nil
}

type validateResultWire struct {
	OK       bool     `json:"ok"`
	Messages []string `json:"messages"`
}

func migrateValidate(ctx context.Context, req *clientRequest) (*validateResultWire, error) {
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	result, err := migrator.Validate(ctx)
	if err != nil {
		return nil, apierr.Classify(err, "")
	}
	return &validateResultWire{OK: result.OK, Messages: append([]string{}, result.Messages...)}, nil
}

type migrationWire struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Applied bool   `json:"applied"`
}

func migrateVersions(ctx context.Context, req *clientRequest) ([]migrationWire, error) {
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	existing, err := migrator.ExistingVersions(ctx)
	if err != nil {
		return nil, apierr.Classify(err, "")
	}
	return sliceutil.Map(migrator.AllVersions(), func(migration rivermigrate.Migration) migrationWire {
		applied := slices.ContainsFunc(existing, func(e rivermigrate.Migration) bool { return e.Version == migration.Version })
		return migrationWire{Version: migration.Version, Name: migration.Name, Applied: applied}
	}), nil
}
