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
	"github.com/riverqueue/river/rivertype"
)

// Client is what pyriver needs from a River client, independent of the
// driver's transaction type. riverClient implements it for each driver.
type Client interface {
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error)
	Close()
}

type riverClient[TTx any] struct {
	river     *river.Client[TTx]
	migrator  *rivermigrate.Migrator[TTx]
	closePool func()
}

// quietLogger discards River's logs: Go must never write to the process's
// stdout or stderr, which belong to Python (and a write to a closed pipe
// would kill it with SIGPIPE).
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newClient[TTx any](driver riverdriver.Driver[TTx], closePool func()) (Client, error) {
	logger := quietLogger()
	riverClient_, err := river.NewClient(driver, &river.Config{Logger: logger})
	if err != nil {
		closePool()
		return nil, err
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		closePool()
		return nil, err
	}
	return &riverClient[TTx]{river: riverClient_, migrator: migrator, closePool: closePool}, nil
}

func (c *riverClient[TTx]) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return c.river.InsertMany(ctx, params)
}

func (c *riverClient[TTx]) JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return c.river.JobGet(ctx, id)
}

func (c *riverClient[TTx]) Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error) {
	return c.migrator.Migrate(ctx, direction, opts)
}

func (c *riverClient[TTx]) Close() { c.closePool() }
