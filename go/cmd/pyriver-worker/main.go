// Command pyriver-worker is the Go half of a mixed deployment: a plain River
// client with Go workers, sharing a queue with Python programs that insert
// (and work) jobs through pyriver.
//
//	pyriver-worker -database-url postgres://localhost/app -queues default,mail -max-workers 50
//
// It prints "ready" once River has started, and stops gracefully on SIGINT or
// SIGTERM: fetching stops at once, running jobs get -soft-stop-timeout to
// finish, then are cancelled and go back to the queue.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/dburl"
)

type options struct {
	databaseURL     string
	queues          []string
	maxWorkers      int
	retryDelay      time.Duration
	rescueAfter     time.Duration
	pollInterval    time.Duration
	softStopTimeout time.Duration
	logLevel        slog.Level
	neverLead       bool
}

func parseOptions(args []string) (*options, error) {
	flags := flag.NewFlagSet("pyriver-worker", flag.ContinueOnError)
	opts := &options{}
	var queues, logLevel string
	flags.StringVar(&opts.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "database URL: postgres://... or sqlite:///path.db (default $DATABASE_URL)")
	flags.StringVar(&queues, "queues", river.QueueDefault, "comma-separated queues to work")
	flags.IntVar(&opts.maxWorkers, "max-workers", 100, "maximum concurrent jobs per queue")
	flags.DurationVar(&opts.retryDelay, "retry-delay", 0, "fixed delay before retrying a failed job (0: River's exponential backoff)")
	flags.DurationVar(&opts.pollInterval, "fetch-poll-interval", 0, "how often to look for jobs without a notification (0: River's default, 1s)")
	flags.DurationVar(&opts.rescueAfter, "rescue-after", 0, "rescue jobs stuck running this long (0: River's default, 1h)")
	flags.DurationVar(&opts.softStopTimeout, "soft-stop-timeout", 10*time.Second, "time running jobs get to finish on SIGINT/SIGTERM")
	flags.StringVar(&logLevel, "log-level", "warn", "debug, info, warn or error (logs go to stderr)")
	flags.BoolVar(&opts.neverLead, "never-lead", false, "never become River's leader (leave periodic jobs and maintenance to other clients, e.g. Python ones)")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if opts.databaseURL == "" {
		return nil, errors.New("-database-url is required")
	}
	opts.queues = strings.Split(queues, ",")
	if err := opts.logLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return nil, err
	}
	return opts, nil
}

// fixedRetryPolicy retries after a constant delay, for tests and demos that
// cannot wait for River's exponential backoff.
type fixedRetryPolicy struct{ delay time.Duration }

func (p fixedRetryPolicy) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(p.delay) }

func (o *options) riverConfig() *river.Config {
	queues := make(map[string]river.QueueConfig, len(o.queues))
	for _, queue := range o.queues {
		queues[queue] = river.QueueConfig{MaxWorkers: o.maxWorkers}
	}
	config := &river.Config{
		// Jobs of kinds only Python works stay in a shared queue for Python.
		FetchOnlyKnownKinds:    true,
		LeaderElectionDisabled: o.neverLead,
		Logger:                 slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: o.logLevel})),
		Queues:                 queues,
		RescueStuckJobsAfter:   o.rescueAfter,
		FetchPollInterval:      o.pollInterval,
		SoftStopTimeout:        o.softStopTimeout,
		Workers:                registerWorkers(),
	}
	if o.retryDelay > 0 {
		config.RetryPolicy = fixedRetryPolicy{o.retryDelay}
	}
	return config
}

func run[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], config *river.Config) error {
	client, err := river.NewClient(driver, config)
	if err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return err
	}
	fmt.Println("ready")
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), config.SoftStopTimeout+5*time.Second)
	defer cancel()
	return client.Stop(stopCtx)
}

func main() {
	opts, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-worker:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := dburl.Open(ctx, opts.databaseURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-worker:", err)
		os.Exit(1)
	}
	defer db.Close()

	if db.Postgres != nil {
		err = run(ctx, riverpgxv5.New(db.Postgres), opts.riverConfig())
	} else {
		err = run(ctx, riversqlite.New(db.SQLite), opts.riverConfig())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-worker:", err)
		os.Exit(1)
	}
}
