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
		return newClient(riverpgxv5.New(db.Postgres), riverdatabasesql.New(nil), pgxAccess(db.Postgres), config)
	}
	return newClient(riversqlite.New(db.SQLite), riversqlite.New(nil), sqlAccess(db.SQLite), config)
}
