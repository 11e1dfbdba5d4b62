package engine

import (
	"context"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/pyriver/pyriver/go/internal/dburl"
)

// Open connects to the database named by databaseURL and returns a client on
// the matching River driver.
func Open(ctx context.Context, databaseURL string, config *Config) (Client, error) {
	db, err := dburl.Open(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	// The twin on application connections has no pool of its own: River
	// runs only its ...Tx methods, on the application's transaction.
	if db.Postgres != nil {
		// Python's calls get a pool of their own, whose connections wait
		// for the database on the calling thread (package threadconn);
		// River's goroutines keep Go's network poller, where a wait in a
		// system call would hold one of Go's few processors.
		calls, err := dburl.Open(ctx, databaseURL, dburl.WaitOnCallingThread(config.BusyPoll))
		if err != nil {
			db.Close()
			return nil, err
		}
		access := pgxAccess(calls.Postgres)
		access.close = func() { calls.Close(); db.Close() }
		return newClient(riverpgxv5.New(db.Postgres), riverpgxv5.New(calls.Postgres), riverdatabasesql.New(nil), access, config)
	}
	// On SQLite, Python's calls run on the client itself: River tells its
	// own producers of an insert directly, for want of notifications.
	return newClient(riversqlite.New(db.SQLite), nil, riversqlite.New(nil), sqlAccess(db.SQLite), config)
}
