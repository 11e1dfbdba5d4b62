package engine

import (
	"context"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// beginWithin opens a transaction, giving up after timeout (zero: never) or
// when ctx ends. The transaction itself is not bound to ctx (database/sql
// rolls a transaction back when its begin context ends), and a begin that
// succeeds after the caller gave up is rolled back at once, so no connection
// is left held.
func beginWithin[TTx any](ctx context.Context, timeout time.Duration, db dbAccess[TTx]) (TTx, error) {
	type begun struct {
		tx  TTx
		err error
	}
	done := make(chan begun, 1)
	go func() {
		tx, err := db.begin(context.WithoutCancel(ctx))
		done <- begun{tx, err}
	}()
	var expired <-chan time.Time
	if timeout > 0 {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		expired = timer.C
	}
	select {
	case result := <-done:
		return result.tx, result.err
	case <-expired:
	case <-ctx.Done():
	}
	go func() {
		if late := <-done; late.err == nil {
			_ = db.rollback(context.Background(), late.tx) // nobody holds it: release the connection
		}
	}()
	var zero TTx
	if ctx.Err() != nil {
		return zero, ctx.Err()
	}
	return zero, apierr.New(apierr.Database,
		"no connection for a transaction within the operation timeout (%s): every connection is held by an open transaction "+
			"(on SQLite the client has one, so a transaction cannot be opened while another of the same client is open)", timeout)
}
