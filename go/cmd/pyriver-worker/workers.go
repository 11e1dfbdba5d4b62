package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"
)

// The example kinds this program works. A Python application inserts jobs of
// these kinds with pyriver; their args are ordinary Go structs, decoded by
// River exactly as for jobs inserted from Go.

// EchoArgs covers awkward JSON: nesting, unicode, integers beyond 2^53,
// floats, empty lists and nulls.
type EchoArgs struct {
	Nested    map[string]any `json:"nested"`
	Text      string         `json:"text"`
	BigInt    int64          `json:"big_int"`
	BigUint   uint64         `json:"big_uint"`
	Float     float64        `json:"float"`
	EmptyList []string       `json:"empty_list"`
	Null      *string        `json:"null"`
}

func (EchoArgs) Kind() string { return "echo" }

// EchoWorker records the args as it decoded them in the job's output, so the
// inserting side can compare them with what it sent.
type EchoWorker struct{ river.WorkerDefaults[EchoArgs] }

func (EchoWorker) Work(ctx context.Context, job *river.Job[EchoArgs]) error {
	return river.RecordOutput(ctx, job.Args)
}

// FlakyArgs makes a job fail its first FailTimes attempts with Message.
type FlakyArgs struct {
	FailTimes int    `json:"fail_times"`
	Message   string `json:"message"`
}

func (FlakyArgs) Kind() string { return "flaky" }

type FlakyWorker struct {
	river.WorkerDefaults[FlakyArgs]
}

func (FlakyWorker) Work(_ context.Context, job *river.Job[FlakyArgs]) error {
	if job.Attempt <= job.Args.FailTimes {
		return fmt.Errorf("%s (attempt %d)", job.Args.Message, job.Attempt)
	}
	return nil
}

// TallyArgs jobs record which process worked them, to show that every job
// is worked exactly once when several processes share a queue.
type TallyArgs struct {
	N int `json:"n"`
}

func (TallyArgs) Kind() string { return "tally" }

type TallyWorker struct {
	river.WorkerDefaults[TallyArgs]
}

func (TallyWorker) Work(ctx context.Context, job *river.Job[TallyArgs]) error {
	return river.RecordOutput(ctx, map[string]any{"n": job.Args.N, "pid": os.Getpid(), "started_at": time.Now().UTC()})
}

// NoopArgs jobs do nothing: they measure River's own overhead.
type NoopArgs struct{}

func (NoopArgs) Kind() string { return "noop" }

type NoopWorker struct{ river.WorkerDefaults[NoopArgs] }

func (NoopWorker) Work(context.Context, *river.Job[NoopArgs]) error { return nil }

func registerWorkers() *river.Workers {
	workers := river.NewWorkers()
	river.AddWorker(workers, &EchoWorker{})
	river.AddWorker(workers, &FlakyWorker{})
	river.AddWorker(workers, &TallyWorker{})
	river.AddWorker(workers, &NoopWorker{})
	return workers
}
