package engine

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/riverqueue/river/rivermigrate"
)

// openSQLite opens a client on a migrated SQLite file of the test's own.
func openSQLite(ctx context.Context, t *testing.T, config *Config) Client {
	t.Helper()
	client, err := Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "test.db"), config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	if _, err := client.Migrator().Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	return client
}
