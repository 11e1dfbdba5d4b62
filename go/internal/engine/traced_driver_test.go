package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/work"
)

type failingArgs struct{}

func (failingArgs) Kind() string { return "failing" }

// Every failed attempt stores its Python traceback in River's own write of
// the attempt, however many fail at once, and nothing is left waiting.
func TestEveryFailedAttemptKeepsItsTrace(t *testing.T) {
	const jobs, slots = 2000, 200
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client := openSQLite(ctx, t, &Config{
		ID:            "traces-test",
		Queues:        map[string]int{river.QueueDefault: slots},
		Kinds:         []work.KindConfig{{Kind: failingArgs{}.Kind()}},
		MaxAttempts:   1,
		JobTimeout:    -1,
		FetchCooldown: 10 * time.Millisecond,
	})
	params := make([]river.InsertManyParams, jobs)
	for i := range params {
		params[i] = river.InsertManyParams{Args: failingArgs{}}
	}
	inserted, err := client.Ops().InsertMany(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	bridge := client.Bridge()
	for failed := 0; failed < jobs; {
		for _, handoff := range bridge.Next(slots, time.Second).Jobs {
			trace := fmt.Sprintf("Traceback of job %d", handoff.Job.ID)
			if bridge.Complete(handoff.Token, work.Outcome{Kind: work.Failed, Message: "boom", Trace: trace}) {
				failed++
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("only %d of %d jobs were handed out", failed, jobs)
		}
	}
	if err := client.Stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	for _, result := range inserted {
		job, err := client.Ops().JobGet(ctx, result.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if job.State != rivertype.JobStateDiscarded || len(job.Errors) != 1 {
			t.Fatalf("job %d: state %s, %d errors", job.ID, job.State, len(job.Errors))
		}
		if want := fmt.Sprintf("Traceback of job %d", job.ID); job.Errors[0].Trace != want {
			t.Fatalf("job %d: trace %q, want %q", job.ID, job.Errors[0].Trace, want)
		}
		if _, waiting := bridge.TakeTrace(job.ID, 1); waiting {
			t.Fatalf("job %d: trace still waiting after River recorded the attempt", job.ID)
		}
	}
}
