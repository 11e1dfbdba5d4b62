package protocol

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// riverOnSQLite is a real River client on a migrated SQLite file.
func riverOnSQLite(t *testing.T) *river.Client[*sql.Tx] {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "rules.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	migrator, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	client, err := river.NewClient(riversqlite.New(db), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

type rulesCase struct {
	name  string
	opts  river.InsertOpts
	param string // "" when the options are valid
}

// Every rule pyriver applies before River must agree with River itself: a
// case pyriver rejects is rejected by River too, and a case it accepts is
// inserted by River. A River upgrade that changes a rule fails here.
func TestRulesAgreeWithRiver(t *testing.T) {
	client := riverOnSQLite(t)
	required := []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled}
	cases := []rulesCase{
		{"plain", river.InsertOpts{}, ""},
		{"queue with hyphens and underscores", river.InsertOpts{Queue: "mail_out-2"}, ""},
		{"queue of 64 characters", river.InsertOpts{Queue: strings.Repeat("q", 64)}, ""},
		{"queue of 65 characters", river.InsertOpts{Queue: strings.Repeat("q", 65)}, "opts.queue"},
		{"queue with a space", river.InsertOpts{Queue: "no spaces"}, "opts.queue"},
		{"queue in capitals", river.InsertOpts{Queue: "Mail"}, "opts.queue"},
		{"queue with a double separator", river.InsertOpts{Queue: "a__b"}, "opts.queue"},
		{"tags", river.InsertOpts{Tags: []string{"abc", "a-b_c"}}, ""},
		{"tag of 255 characters", river.InsertOpts{Tags: []string{strings.Repeat("t", 255)}}, ""},
		{"tag of 256 characters", river.InsertOpts{Tags: []string{strings.Repeat("t", 256)}}, "opts.tags"},
		{"tag with a space", river.InsertOpts{Tags: []string{"has space"}}, "opts.tags"},
		{"tag of 2 characters", river.InsertOpts{Tags: []string{"ab"}}, "opts.tags"},
		{"unique by period of 1s", river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 1e9}}, ""},
		{"unique by period under 1s", river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 5e8}}, "opts.unique_opts.by_period"},
		{"exclude kind alone", river.InsertOpts{UniqueOpts: river.UniqueOpts{ExcludeKind: true}}, "opts.unique_opts"},
		{"exclude kind by args", river.InsertOpts{UniqueOpts: river.UniqueOpts{ExcludeKind: true, ByArgs: true}}, ""},
		{"by state with the required states", river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: required}}, ""},
		{"by state missing required states", river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: required[:2]}}, "opts.unique_opts.by_state"},
		{"by state with an unknown state", river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: append(required, "sleeping")}}, "opts.unique_opts.by_state"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			ours := checkMerged(&river.InsertOpts{}, &opts)
			_, riverErr := client.Insert(context.Background(), &dynamicArgs{kind: "rules", encoded: []byte(`{"n":"` + tc.name + `"}`)}, &opts)
			if tc.param == "" {
				if ours != nil || riverErr != nil {
					t.Fatalf("valid options: pyriver says %v, River says %v", ours, riverErr)
				}
				return
			}
			var apiErr *apierr.Error
			if ours == nil || !errors.As(ours, &apiErr) || apiErr.Param != tc.param {
				t.Fatalf("pyriver must reject %s naming %q, got %v", tc.name, tc.param, ours)
			}
			if riverErr == nil {
				t.Fatalf("River accepts what pyriver rejects (%v): the rule has drifted", ours)
			}
		})
	}
}

func TestPriorityRuleAgreesWithRiver(t *testing.T) {
	client := riverOnSQLite(t)
	for priority := -1; priority <= 6; priority++ {
		ours := checkPriority("opts.priority", priority)
		_, riverErr := client.Insert(context.Background(), &dynamicArgs{kind: "rules", encoded: []byte(`{}`)}, &river.InsertOpts{Priority: priority})
		if priority == 0 {
			continue // River reads 0 as "default"; pyriver refuses an explicit 0 before this check
		}
		if (ours == nil) != (riverErr == nil) {
			t.Errorf("priority %d: pyriver says %v, River says %v", priority, ours, riverErr)
		}
	}
}

// kindArgs is args of a kind chosen at run time, for registering workers.
type kindArgs struct{ kind string }

func (a kindArgs) Kind() string { return a.kind }

// pyriver's kind rule is River's rule for registered workers.
func TestKindRuleAgreesWithRiver(t *testing.T) {
	kinds := []string{"e", "ok", "send_email", "a-b", "ns/kind.v2", "x[1]", "<y>", "a·b", "a:b+c", "-x", "has space", "é", "éa"}
	for _, kind := range kinds {
		workers := river.NewWorkers()
		river.AddWorkerArgs(workers, kindArgs{kind}, river.WorkFunc(func(context.Context, *river.Job[kindArgs]) error { return nil }))
		_, riverErr := river.NewClient(riversqlite.New(nil), &river.Config{Workers: workers})
		if ours := checkKind("kind", kind); (ours == nil) != (riverErr == nil) {
			t.Errorf("kind %q: pyriver says %v, River says %v", kind, ours, riverErr)
		}
	}
}
