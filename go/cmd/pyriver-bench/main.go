// Command pyriver-bench measures native Go River on the same database and
// River version as pyriver, for bench/harness.py to compare against. It
// prints one JSON object: {"jobs": N, "seconds": S}.
//
//	pyriver-bench -database-url URL -mode insert            -count N   one job per Insert
//	pyriver-bench -database-url URL -mode insert-many       -count N -batch B
//	pyriver-bench -database-url URL -mode insert-many-fast  -count N -batch B
//	pyriver-bench -database-url URL -mode work              -count N -workers W [-job-sleep D]
//
// work inserts N jobs, then times a client with W workers from start until
// every job has been worked and the client has stopped (so that all
// completions are persisted): "seconds"; "handled_seconds" is until the last
// job's Work returned. Jobs do nothing, or sleep for -job-sleep (an
// I/O-bound job). idle starts a client with W workers and no jobs, waits
// -count seconds and reports, as "cpu_seconds", the CPU the process used
// meanwhile. -trace FILE records Go's execution tracer over the timed
// part, to set beside pyriver.library_trace's.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/trace"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/pyriver/pyriver/go/internal/dburl"
)

// BenchArgs matches the args bench/harness.py inserts from Python.
type BenchArgs struct {
	N int `json:"n"`
}

func (BenchArgs) Kind() string { return "bench" }

type benchWorker struct {
	river.WorkerDefaults[BenchArgs]
	done  *atomic.Int64
	sleep time.Duration
}

func (w *benchWorker) Work(ctx context.Context, _ *river.Job[BenchArgs]) error {
	if w.sleep > 0 {
		select {
		case <-time.After(w.sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	w.done.Add(1)
	return nil
}

type options struct {
	mode          string
	count         int
	batch         int
	workers       int
	fetchCooldown time.Duration
	jobSleep      time.Duration
	trace         string
}

// timings are what measure reports: the whole run, and for -mode work the
// time until the last job was handled (before the client's stop).
type timings struct {
	total   time.Duration
	handled time.Duration
	cpu     time.Duration
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func params(from, to int) []river.InsertManyParams {
	batch := make([]river.InsertManyParams, 0, max(to-from, 0))
	for n := from; n < to; n++ {
		batch = append(batch, river.InsertManyParams{Args: BenchArgs{N: n}})
	}
	return batch
}

func measure[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], opts options) (timings, error) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	done := &atomic.Int64{}
	workers := river.NewWorkers()
	river.AddWorker(workers, &benchWorker{done: done, sleep: opts.jobSleep})
	config := &river.Config{Logger: logger, Workers: workers}
	if opts.mode == "work" || opts.mode == "idle" {
		config.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.workers}}
		if opts.mode == "work" {
			config.FetchCooldown = opts.fetchCooldown
		}
	}
	client, err := river.NewClient(driver, config)
	if err != nil {
		return timings{}, err
	}
	// Warm up the pool's connections and prepared statements, as
	// bench/harness.py does for the Python clients.
	if _, err := client.InsertMany(ctx, params(-10, 0)); err != nil {
		return timings{}, err
	}
	if opts.mode == "work" || opts.mode == "idle" {
		if _, err := client.JobDeleteMany(ctx, river.NewJobDeleteManyParams().UnsafeAll()); err != nil {
			return timings{}, err
		}
	}
	if opts.trace != "" {
		stop, err := startTrace(opts.trace)
		if err != nil {
			return timings{}, err
		}
		defer stop()
	}
	started := time.Now()
	var handled time.Duration
	switch opts.mode {
	case "insert":
		for n := range opts.count {
			if _, err := client.Insert(ctx, BenchArgs{N: n}, nil); err != nil {
				return timings{}, err
			}
		}
	case "insert-many", "insert-many-fast":
		for from := 0; from < opts.count; from += opts.batch {
			batch := params(from, min(from+opts.batch, opts.count))
			if opts.mode == "insert-many" {
				_, err = client.InsertMany(ctx, batch)
			} else {
				_, err = client.InsertManyFast(ctx, batch)
			}
			if err != nil {
				return timings{}, err
			}
		}
	case "idle":
		if err := client.Start(ctx); err != nil {
			return timings{}, err
		}
		time.Sleep(3 * time.Second) // past the start-up work
		before := cpuTime()
		started = time.Now()
		time.Sleep(time.Duration(opts.count) * time.Second)
		idle := timings{total: time.Since(started), cpu: cpuTime() - before}
		if err := client.Stop(ctx); err != nil {
			return timings{}, err
		}
		return idle, nil
	case "work":
		for from := 0; from < opts.count; from += 1000 {
			if _, err := client.InsertManyFast(ctx, params(from, min(from+1000, opts.count))); err != nil {
				return timings{}, err
			}
		}
		started = time.Now()
		if err := client.Start(ctx); err != nil {
			return timings{}, err
		}
		for done.Load() < int64(opts.count) {
			time.Sleep(time.Millisecond)
		}
		handled = time.Since(started)
		if err := client.Stop(ctx); err != nil {
			return timings{}, err
		}
	default:
		return timings{}, errors.New("unknown -mode " + opts.mode)
	}
	return timings{total: time.Since(started), handled: handled}, nil
}

// startTrace starts Go's execution tracer into path; the returned function
// stops it and closes the file.
func startTrace(path string) (func(), error) {
	file, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := trace.Start(file); err != nil {
		_ = file.Close()
		return nil, err
	}
	return func() {
		trace.Stop()
		_ = file.Close()
	}, nil
}

func main() {
	databaseURL := flag.String("database-url", "", "database URL")
	opts := options{}
	flag.StringVar(&opts.mode, "mode", "insert", "insert, insert-many, insert-many-fast, work or idle")
	flag.IntVar(&opts.count, "count", 1000, "jobs")
	flag.IntVar(&opts.batch, "batch", 100, "jobs per InsertMany call")
	flag.IntVar(&opts.workers, "workers", 100, "MaxWorkers for -mode work")
	flag.DurationVar(&opts.fetchCooldown, "fetch-cooldown", 10*time.Millisecond, "FetchCooldown for -mode work")
	flag.DurationVar(&opts.jobSleep, "job-sleep", 0, "how long each job sleeps in -mode work (0: a no-op job)")
	flag.StringVar(&opts.trace, "trace", "", "write Go's execution trace of the timed part to this file")
	flag.Parse()

	ctx := context.Background()
	db, err := dburl.Open(ctx, *databaseURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-bench:", err)
		os.Exit(1)
	}
	defer db.Close()
	var elapsed timings
	if db.Postgres != nil {
		elapsed, err = measure(ctx, riverpgxv5.New(db.Postgres), opts)
	} else {
		elapsed, err = measure(ctx, riversqlite.New(db.SQLite), opts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-bench:", err)
		os.Exit(1)
	}
	report := struct {
		Jobs           int     `json:"jobs"`
		Seconds        float64 `json:"seconds"`
		HandledSeconds float64 `json:"handled_seconds"`
		CPUSeconds     float64 `json:"cpu_seconds"`
	}{opts.count, elapsed.total.Seconds(), elapsed.handled.Seconds(), elapsed.cpu.Seconds()}
	if err := json.NewEncoder(os.Stdout).Encode(report); err != nil {
		fmt.Fprintln(os.Stderr, "pyriver-bench:", err)
		os.Exit(1)
	}
}
