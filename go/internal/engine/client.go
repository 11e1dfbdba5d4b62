// Package engine holds the real River clients that pyriver drives, one per
// Python Client, on either driver. It knows nothing about JSON or C.
package engine

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/work"
)

// Client is a River client and its migrator, independent of the driver's
// transaction type.
type Client interface {
	// Ops runs operations directly on the client.
	Ops() Ops
	// OperationTimeout bounds each of those operations (zero: none).
	OperationTimeout() time.Duration
	// Begin opens an application transaction, giving up after the operation
	// timeout.
	Begin(ctx context.Context) (Tx, error)
	// AppOps runs operations in a transaction the Python application holds,
	// reached through tx (see package appconn).
	AppOps(tx *sql.Tx) Ops
	// AppMigrator runs River's migrations in that transaction.
	AppMigrator(tx *sql.Tx) Migrator
	// CaptureOps reaches River's insert path without a database: for the
	// capture run of Python's insert middleware, which stops before River's
	// first query (see package insertmw), so it costs no transaction.
	CaptureOps() Ops
	// UIEndpoints are River UI's API on this client's River client.
	UIEndpoints() uiendpoints.Bundle
	// SQLite is true for a client on SQLite, false on PostgreSQL.
	SQLite() bool
	Migrator() Migrator
	// Bridge hands jobs to Python's runner threads; nil for a client
	// without workers.
	Bridge() *work.Bridge
	// Subscribe returns River's events of the given kinds, for a client
	// with workers, and a function that ends the subscription.
	Subscribe(kinds []river.EventKind) (<-chan *river.Event, func(), error)
	// PeriodicJobs is River's bundle of periodic jobs, enqueued by the
	// elected leader while the client runs.
	PeriodicJobs() (*river.PeriodicJobBundle, error)
	// Start starts River's producers and maintenance services.
	Start(ctx context.Context) error
	// Stop stops fetching and waits for running jobs; if they have not
	// finished by softTimeout, cancels them and waits for River to put them
	// back in the queue.
	Stop(softTimeout time.Duration) error
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
	river *river.Client[TTx]
	// calls runs Python's operations: a River client with the insert
	// configuration on a pool of Python's own (see Open), or river itself.
	calls    *river.Client[TTx]
	migrator *rivermigrate.Migrator[TTx]
	// onApp is an insert-only River client with the same configuration,
	// on River's database/sql driver, for the application's connections.
	onApp       *river.Client[*sql.Tx]
	appMigrator *rivermigrate.Migrator[*sql.Tx]
	sqlite      bool
	db          dbAccess[TTx]
	bridge      *work.Bridge
	timeout     time.Duration
}

// newClient builds the River clients of one Python client: on driver, the
// one that works jobs; on callsDriver (if not nil), the one Python's
// operations run on; on appDriver, the twin for the application's
// connections. db opens the transactions Python asks for.
func newClient[TTx any](driver, callsDriver riverdriver.Driver[TTx], appDriver riverdriver.Driver[*sql.Tx], db dbAccess[TTx], config *Config) (Client, error) {
	var bridge *work.Bridge
	if len(config.Kinds) > 0 {
		bridge = work.NewBridge()
	}
	riverConfig, err := config.riverConfig(bridge)
	if err != nil {
		db.close()
		return nil, err
	}
	workingDriver := driver
	if bridge != nil {
		workingDriver = &tracedDriver[TTx]{Driver: driver, bridge: bridge}
	}
	riverClient_, err := river.NewClient(workingDriver, riverConfig)
	if err != nil {
		db.close()
		return nil, apierr.Invalid("config", "%v", err)
	}
	calls := riverClient_
	if callsDriver != nil {
		if calls, err = river.NewClient(callsDriver, config.insertConfig()); err != nil {
			db.close()
			return nil, apierr.Invalid("config", "%v", err)
		}
	}
	onApp, err := river.NewClient(appDriver, config.insertConfig())
	if err != nil {
		db.close()
		return nil, apierr.Invalid("config", "%v", err)
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: riverConfig.Logger})
	if err != nil {
		db.close()
		return nil, err
	}
	appMigrator, err := rivermigrate.New(appDriver, &rivermigrate.Config{Logger: riverConfig.Logger})
	if err != nil {
		db.close()
		return nil, err
	}
	return &riverClient[TTx]{
		river: riverClient_, calls: calls, migrator: migrator, onApp: onApp, appMigrator: appMigrator,
		sqlite: appDriver.DatabaseName() == riverdriver.DatabaseNameSQLite,
		db:     db, bridge: bridge, timeout: config.OperationTimeout,
	}, nil
}

func (c *riverClient[TTx]) AppOps(tx *sql.Tx) Ops { return riverOps[*sql.Tx]{client: c.onApp, tx: &tx} }

func (c *riverClient[TTx]) CaptureOps() Ops {
	var noTx *sql.Tx // never used: the capture middleware ends the insert first
	return riverOps[*sql.Tx]{client: c.onApp, tx: &noTx}
}

func (c *riverClient[TTx]) UIEndpoints() uiendpoints.Bundle {
	return riverui.NewEndpoints(c.river, nil)
}

func (c *riverClient[TTx]) AppMigrator(tx *sql.Tx) Migrator {
	return txMigrator[*sql.Tx]{migrator: c.appMigrator, tx: tx}
}

func (c *riverClient[TTx]) SQLite() bool { return c.sqlite }

func (c *riverClient[TTx]) Bridge() *work.Bridge { return c.bridge }

func (c *riverClient[TTx]) PeriodicJobs() (*river.PeriodicJobBundle, error) {
	if c.bridge == nil {
		return nil, apierr.New(apierr.InvalidArgument, "periodic jobs are enqueued by a running client: add them to a client with workers")
	}
	return c.river.PeriodicJobs(), nil
}

func (c *riverClient[TTx]) Subscribe(kinds []river.EventKind) (<-chan *river.Event, func(), error) {
	if c.bridge == nil {
		return nil, nil, apierr.New(apierr.InvalidArgument, "events come from working jobs: subscribe on a client with workers")
	}
	events, cancel := c.river.Subscribe(kinds...)
	return events, cancel, nil
}

func (c *riverClient[TTx]) Start(ctx context.Context) error {
	if c.bridge == nil {
		return apierr.New(apierr.InvalidArgument, "this client has no workers to run; register them with Client(..., workers=...)")
	}
	if err := c.river.Start(ctx); err != nil {
		return err
	}
	return nil
}

func (c *riverClient[TTx]) Stop(softTimeout time.Duration) error {
	if c.bridge == nil {
		return nil
	}
	softCtx, cancel := context.WithTimeout(context.Background(), softTimeout)
	defer cancel()
	if err := c.river.Stop(softCtx); !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return c.river.StopAndCancel(context.Background())
}

func (c *riverClient[TTx]) Ops() Ops { return riverOps[TTx]{client: c.calls} }

func (c *riverClient[TTx]) OperationTimeout() time.Duration { return c.timeout }

func (c *riverClient[TTx]) Migrator() Migrator { return riverMigrator[TTx]{c.migrator} }

func (c *riverClient[TTx]) Begin(ctx context.Context) (Tx, error) {
	tx, err := beginWithin(ctx, c.timeout, c.db)
	if err != nil {
		return nil, err
	}
	return &riverTx[TTx]{ops: riverOps[TTx]{client: c.calls, tx: &tx}, tx: tx, db: c.db}, nil
}

// Close hard-stops a started client (running jobs are cancelled and return
// to the queue) and releases its database.
func (c *riverClient[TTx]) Close() {
	if c.bridge != nil {
		_ = c.Stop(0) // nothing to report to: the client is going away
		c.bridge.Release()
	}
	c.db.close()
}

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

// txMigrator is River's migrator working inside a transaction (its ...Tx
// methods), for migrations run in the application's own transaction.
type txMigrator[TTx any] struct {
	migrator *rivermigrate.Migrator[TTx]
	tx       TTx
}

func (m txMigrator[TTx]) Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error) {
	// Deprecated in River because some migrations cannot share one
	// transaction; here the application asked for its own transaction.
	return m.migrator.MigrateTx(ctx, m.tx, direction, opts) //nolint:staticcheck // see above
}

func (m txMigrator[TTx]) Validate(ctx context.Context) (*rivermigrate.ValidateResult, error) {
	return m.migrator.ValidateTx(ctx, m.tx, nil)
}

func (m txMigrator[TTx]) AllVersions() []rivermigrate.Migration { return m.migrator.AllVersions() }

func (m txMigrator[TTx]) ExistingVersions(ctx context.Context) ([]rivermigrate.Migration, error) {
	return m.migrator.ExistingVersionsTx(ctx, m.tx)
}
