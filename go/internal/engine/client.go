// Package engine holds the real River clients that pyriver drives, one per
// Python Client, on either driver. It knows nothing about JSON or C.
package engine

import (
	"context"
	"io"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
)

// Client is a River client and its migrator, independent of the driver's
// transaction type.
type Client interface {
	// Ops runs operations directly on the client.
	Ops() Ops
	// Begin opens an application transaction.
	Begin(ctx context.Context) (Tx, error)
	Migrator() Migrator
	Close()
}

// Migrator is River's rivermigrate for either driver.
type Migrator interface {
	Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error)
	Validate(ctx context.Context) (*rivermigrate.ValidateResult, error)
	AllVersions() []rivermigrate.Migration
	ExistingVersions(ctx context.Context) ([]rivermigrate.Migration, error)
}

// Tx is an application transaction: River operations and the application's
// own SQL, committed or rolled back together.
type Tx interface {
	Ops() Ops
	SQL() appSQL
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

type riverClient[TTx any] struct {
	river    *river.Client[TTx]
	migrator *rivermigrate.Migrator[TTx]
	db       dbAccess[TTx]
}

// quietLogger discards River's logs: Go must never write to the process's
// stdout or stderr, which belong to Python (and a write to a closed pipe
// would kill it with SIGPIPE).
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newClient[TTx any](driver riverdriver.Driver[TTx], db dbAccess[TTx]) (Client, error) {
	logger := quietLogger()
	riverClient_, err := river.NewClient(driver, &river.Config{Logger: logger})
	if err != nil {
		db.close()
		return nil, err
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		db.close()
		return nil, err
	}
	return &riverClient[TTx]{river: riverClient_, migrator: migrator, db: db}, nil
}

func (c *riverClient[TTx]) Ops() Ops { return riverOps[TTx]{client: c.river} }

func (c *riverClient[TTx]) Migrator() Migrator { return riverMigrator[TTx]{c.migrator} }

func (c *riverClient[TTx]) Begin(ctx context.Context) (Tx, error) {
	tx, err := c.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	return &riverTx[TTx]{ops: riverOps[TTx]{client: c.river, tx: &tx}, tx: tx, db: c.db}, nil
}

func (c *riverClient[TTx]) Close() { c.db.close() }

type riverTx[TTx any] struct {
	ops riverOps[TTx]
	tx  TTx
	db  dbAccess[TTx]
}

func (t *riverTx[TTx]) Ops() Ops                           { return t.ops }
func (t *riverTx[TTx]) SQL() appSQL                        { return t.db.appSQL(t.tx) }
func (t *riverTx[TTx]) Commit(ctx context.Context) error   { return t.db.commit(ctx, t.tx) }
func (t *riverTx[TTx]) Rollback(ctx context.Context) error { return t.db.rollback(ctx, t.tx) }

type riverMigrator[TTx any] struct{ migrator *rivermigrate.Migrator[TTx] }

func (m riverMigrator[TTx]) Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error) {
	return m.migrator.Migrate(ctx, direction, opts)
}

func (m riverMigrator[TTx]) Validate(ctx context.Context) (*rivermigrate.ValidateResult, error) {
	return m.migrator.Validate(ctx, nil)
}

func (m riverMigrator[TTx]) AllVersions() []rivermigrate.Migration { return m.migrator.AllVersions() }

func (m riverMigrator[TTx]) ExistingVersions(ctx context.Context) ([]rivermigrate.Migration, error) {
	return m.migrator.ExistingVersions(ctx)
}
