package engine

import (
	"context"

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
	if db.Postgres != nil {
		return newClient(riverpgxv5.New(db.Postgres), pgxAccess(db.Postgres), config)
	}
	return newClient(riversqlite.New(db.SQLite), sqlAccess(db.SQLite), config)
}
