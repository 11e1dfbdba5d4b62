package api

import (
	"context"

	"github.com/riverqueue/river/rivermigrate"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.MigrationMigrate, rpc.Typed(migrate))
	rpc.Register(protocol.MigrationValidate, rpc.Typed(migrateValidate))
	rpc.Register(protocol.MigrationVersions, rpc.Typed(migrateVersions))
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

func migrate(ctx context.Context, req *protocol.MigrateRequest) ([]int, error) {
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	var applied []rivermigrate.Migration
	if req.NeedsApplied() {
		if applied, err = migrator.ExistingVersions(ctx); err != nil {
			return nil, apierr.Classify(err)
		}
	}
	opts, err := req.River(migrator.AllVersions(), applied)
	if err != nil {
		return nil, err
	}
	result, err := migrator.Migrate(ctx, req.Direction, opts)
	if err != nil {
		return nil, apierr.Classify(err)
	}
	return protocol.MigratedVersions(result), nil
}

func migrateValidate(ctx context.Context, req *protocol.ClientRequest) (*protocol.ValidateResult, error) {
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	result, err := migrator.Validate(ctx)
	if err != nil {
		return nil, apierr.Classify(err)
	}
	return protocol.NewValidateResult(result), nil
}

func migrateVersions(ctx context.Context, req *protocol.ClientRequest) ([]protocol.Migration, error) {
	migrator, err := migratorFor(ctx, req.Client)
	if err != nil {
		return nil, err
	}
	applied, err := migrator.ExistingVersions(ctx)
	if err != nil {
		return nil, apierr.Classify(err)
	}
	return protocol.NewMigrations(migrator.AllVersions(), applied), nil
}
