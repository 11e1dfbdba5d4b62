package apierr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Errors are classified by what they are, through any wrapping, never by
// their text.
func TestClassifyByType(t *testing.T) {
	own := Invalid("opts.queue", "bad queue")
	cases := []struct {
		name string
		err  error
		want Code
	}{
		{"own error keeps its code", fmt.Errorf("wrapped: %w", own), InvalidArgument},
		{"River's ErrNotFound", fmt.Errorf("job: %w", river.ErrNotFound), NotFound},
		{"River's ErrJobRunning", rivertype.ErrJobRunning, JobRunning},
		{"PostgreSQL error", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "42P01", Message: `relation "river_job" does not exist`}), Database},
		{"deadline", context.DeadlineExceeded, Database},
		{"cancelled", context.Canceled, Database},
		{"unknown error", errors.New("not found"), Internal},
		{"unknown error that names a database", errors.New("database: connection refused"), Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Classify(c.err)
			if got.Code != c.want {
				t.Fatalf("Classify(%v) = %s, want %s", c.err, got.Code, c.want)
			}
			if !strings.HasPrefix(got.Message, c.err.Error()) && !errors.Is(c.err, own) {
				t.Fatalf("message %q, want the original %q", got.Message, c.err.Error())
			}
		})
	}
	if missing := Classify(&pgconn.PgError{Code: "42P01", Message: `relation "river_job" does not exist`}); !strings.HasSuffix(missing.Message, missingTablesHint) {
		t.Fatalf("no hint for River's missing tables: %q", missing.Message)
	}
	if Classify(nil) != nil {
		t.Fatal("Classify(nil) is not nil")
	}
}

// As gives only unexpected errors the call site's meaning.
func TestAsKeepsKnownClassifications(t *testing.T) {
	if got := As(errors.New("queue name too long"), InvalidArgument, "queues"); got.Code != InvalidArgument || got.Param != "queues" || got.Message != "queues: queue name too long" {
		t.Fatalf("unknown error: %+v", got)
	}
	if got := As(&pgconn.PgError{Message: "boom"}, InvalidArgument, "queues"); got.Code != Database || got.Param != "" {
		t.Fatalf("database error: %+v", got)
	}
}
