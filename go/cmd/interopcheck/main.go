// Command interopcheck is the Go side of pyriver's interoperability tests:
// it does with River's Go API what the tests then check from Python.
//
//	interopcheck -database-url URL migrate    apply River's migrations from Go
//	interopcheck -database-url URL validate   print rivermigrate's validation as JSON
//	interopcheck -database-url URL insert     insert the jobs described on stdin
//	interopcheck -database-url URL page       list a page of jobs after a cursor
//
// insert reads a JSON array of {"kind", "args", "opts"} with opts in River's
// InsertOpts shape (durations and times as strings), inserts each with the
// typed Go args of that kind, and prints the inserted rows as JSON.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/dburl"
)

// OrderArgs is a typed Go args struct, as a Go application would declare it.
type OrderArgs struct {
	Customer string   `json:"customer"`
	Amount   int64    `json:"amount"`
	Items    []string `json:"items"`
}

func (OrderArgs) Kind() string { return "order" }

// ValuesArgs holds one value of each JSON-relevant Go type, for checking that
// Python encodes args byte for byte as Go does (the tests' Values dataclass
// mirrors it field for field).
type ValuesArgs struct {
	Text      string         `json:"text"`
	Real      float64        `json:"real"`
	Signed    int64          `json:"signed"`
	Unsigned  uint64         `json:"unsigned"`
	Nested    map[string]any `json:"nested"`
	Items     []any          `json:"items"`
	EmptyMap  map[string]any `json:"empty_map"`
	EmptyList []string       `json:"empty_list"`
	Null      *string        `json:"null"`
}

func (ValuesArgs) Kind() string { return "values" }

// TaggedArgs marks some fields unique, nested ones included: River keys
// unique-by-args jobs on those fields only.
type TaggedArgs struct {
	Customer string `json:"customer" river:"unique"`
	Amount   int64  `json:"amount"`
	Address  struct {
		Street string `json:"street"`
		City   string `json:"city" river:"unique"`
	} `json:"address"`
	Note   string `json:"note"`
	Region string `json:"region" river:"unique"`
}

func (TaggedArgs) Kind() string { return "tagged" }

// typedArgs decodes a job's args into the Go struct of its kind.
func typedArgs(kind string, encoded json.RawMessage) (river.JobArgs, error) {
	switch kind {
	case (OrderArgs{}).Kind():
		var args OrderArgs
		return args, json.Unmarshal(encoded, &args)
	case (ValuesArgs{}).Kind():
		var args ValuesArgs
		return args, json.Unmarshal(encoded, &args)
	case (TaggedArgs{}).Kind():
		var args TaggedArgs
		return args, json.Unmarshal(encoded, &args)
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
}

type jobSpec struct {
	Kind string          `json:"kind"`
	Args json.RawMessage `json:"args"`
	Opts struct {
		MaxAttempts int             `json:"max_attempts"`
		Metadata    json.RawMessage `json:"metadata"`
		Priority    int             `json:"priority"`
		Queue       string          `json:"queue"`
		ScheduledAt time.Time       `json:"scheduled_at"`
		Tags        []string        `json:"tags"`
		Pending     bool            `json:"pending"`
		Unique      *uniqueOptsSpec `json:"unique_opts"`
	} `json:"opts"`
}

type uniqueOptsSpec struct {
	ByArgs      bool                 `json:"by_args"`
	ByPeriod    string               `json:"by_period"`
	ByQueue     bool                 `json:"by_queue"`
	ByState     []rivertype.JobState `json:"by_state"`
	ExcludeKind bool                 `json:"exclude_kind"`
}

// rowJSON is the inserted row with every rivertype.JobRow field, in the
// shape Python reads, for the tests to compare field by field with what
// pyriver returns. Times are Unix microseconds.
type rowJSON struct {
	ID                       int64                `json:"id"`
	Attempt                  int                  `json:"attempt"`
	AttemptedBy              []string             `json:"attempted_by"`
	CreatedAt                int64                `json:"created_at"`
	EncodedArgs              string               `json:"encoded_args"`
	Kind                     string               `json:"kind"`
	MaxAttempts              int                  `json:"max_attempts"`
	Metadata                 string               `json:"metadata"`
	Priority                 int                  `json:"priority"`
	Queue                    string               `json:"queue"`
	ScheduledAt              int64                `json:"scheduled_at"`
	State                    rivertype.JobState   `json:"state"`
	Tags                     []string             `json:"tags"`
	UniqueKey                []byte               `json:"unique_key"`
	UniqueStates             []rivertype.JobState `json:"unique_states"`
	UniqueSkippedAsDuplicate bool                 `json:"unique_skipped_as_duplicate"`
}

func toRowJSON(result *rivertype.JobInsertResult) rowJSON {
	job := result.Job
	return rowJSON{
		ID: job.ID, Attempt: job.Attempt, AttemptedBy: job.AttemptedBy, CreatedAt: job.CreatedAt.UnixMicro(),
		EncodedArgs: string(job.EncodedArgs), Kind: job.Kind, MaxAttempts: job.MaxAttempts, Metadata: string(job.Metadata),
		Priority: job.Priority, Queue: job.Queue, ScheduledAt: job.ScheduledAt.UnixMicro(), State: job.State, Tags: job.Tags,
		UniqueKey: job.UniqueKey, UniqueStates: job.UniqueStates, UniqueSkippedAsDuplicate: result.UniqueSkippedAsDuplicate,
	}
}

func (s *jobSpec) insertOpts() (*river.InsertOpts, error) {
	opts := &river.InsertOpts{
		MaxAttempts: s.Opts.MaxAttempts,
		Metadata:    s.Opts.Metadata,
		Priority:    s.Opts.Priority,
		Queue:       s.Opts.Queue,
		ScheduledAt: s.Opts.ScheduledAt,
		Tags:        s.Opts.Tags,
		Pending:     s.Opts.Pending,
	}
	if unique := s.Opts.Unique; unique != nil {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: unique.ByArgs, ByQueue: unique.ByQueue, ByState: unique.ByState, ExcludeKind: unique.ExcludeKind}
		if unique.ByPeriod != "" {
			period, err := time.ParseDuration(unique.ByPeriod)
			if err != nil {
				return nil, err
			}
			opts.UniqueOpts.ByPeriod = period
		}
	}
	return opts, nil
}

func insert[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	var specs []jobSpec
	if err := json.NewDecoder(os.Stdin).Decode(&specs); err != nil {
		return err
	}
	client, err := river.NewClient(driver, &river.Config{})
	if err != nil {
		return err
	}
	rows := make([]rowJSON, 0, len(specs))
	for i := range specs {
		args, err := typedArgs(specs[i].Kind, specs[i].Args)
		if err != nil {
			return err
		}
		opts, err := specs[i].insertOpts()
		if err != nil {
			return err
		}
		result, err := client.Insert(ctx, args, opts)
		if err != nil {
			return err
		}
		rows = append(rows, toRowJSON(result))
	}
	return json.NewEncoder(os.Stdout).Encode(rows)
}

func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], validateOnly bool) error {
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	if validateOnly {
		result, err := migrator.Validate(ctx, nil)
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(result)
	}
	_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// page lists one page of jobs by ID, after the cursor read from stdin
// ({"after": text, "limit": n}), with River's JobListCursor, and prints the
// page's job IDs and its last cursor as text.
func page[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	var request struct {
		After string `json:"after"`
		Limit int    `json:"limit"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&request); err != nil {
		return err
	}
	client, err := river.NewClient(driver, &river.Config{})
	if err != nil {
		return err
	}
	params := river.NewJobListParams().First(request.Limit)
	if request.After != "" {
		cursor := &river.JobListCursor{}
		if err := cursor.UnmarshalText([]byte(request.After)); err != nil {
			return err
		}
		params = params.After(cursor)
	}
	result, err := client.JobList(ctx, params)
	if err != nil {
		return err
	}
	var reply struct {
		IDs        []int64 `json:"ids"`
		LastCursor string  `json:"last_cursor"`
	}
	for _, job := range result.Jobs {
		reply.IDs = append(reply.IDs, job.ID)
	}
	if result.LastCursor != nil {
		text, err := result.LastCursor.MarshalText()
		if err != nil {
			return err
		}
		reply.LastCursor = string(text)
	}
	return json.NewEncoder(os.Stdout).Encode(reply)
}

func command[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], name string) error {
	switch name {
	case "insert":
		return insert(ctx, driver)
	case "page":
		return page(ctx, driver)
	case "migrate":
		return migrate(ctx, driver, false)
	case "validate":
		return migrate(ctx, driver, true)
	default:
		return errors.New("command must be insert, page, migrate or validate")
	}
}

func main() {
	databaseURL := flag.String("database-url", "", "database URL")
	flag.Parse()
	ctx := context.Background()
	db, err := dburl.Open(ctx, *databaseURL)
	if err == nil {
		defer db.Close()
		if db.Postgres != nil {
			err = command(ctx, riverpgxv5.New(db.Postgres), flag.Arg(0))
		} else {
			err = command(ctx, riversqlite.New(db.SQLite), flag.Arg(0))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "interopcheck:", err)
		os.Exit(1)
	}
}
