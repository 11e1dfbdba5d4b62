package work

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

func TestHandoffAndOutcome(t *testing.T) {
	bridge := NewBridge()
	done := make(chan Outcome, 1)
	go func() {
		outcome, _ := bridge.run(context.Background(), &rivertype.JobRow{ID: 1})
		done <- outcome
	}()
	poll := bridge.Next(1, time.Second)
	if len(poll.Jobs) != 1 || poll.Jobs[0].Job.ID != 1 {
		t.Fatalf("no handoff: %+v", poll)
	}
	if !bridge.Complete(poll.Jobs[0].Token, Outcome{Kind: Completed}) {
		t.Fatal("outcome refused")
	}
	if outcome := <-done; outcome.Kind != Completed {
		t.Fatalf("outcome %+v", outcome)
	}
}

func TestOnePullTakesSeveralJobsUpToMax(t *testing.T) {
	bridge := NewBridge()
	for id := range int64(5) {
		go func() { _, _ = bridge.run(context.Background(), &rivertype.JobRow{ID: id}) }()
	}
	var taken int
	deadline := time.Now().Add(2 * time.Second)
	for taken < 5 && time.Now().Before(deadline) {
		poll := bridge.Next(3, time.Second)
		if len(poll.Jobs) > 3 {
			t.Fatalf("pulled %d jobs with max 3", len(poll.Jobs))
		}
		taken += len(poll.Jobs)
	}
	if taken != 5 {
		t.Fatalf("took %d of 5 jobs", taken)
	}
}

func TestTimeoutNotifiesPythonAndDropsLateOutcomes(t *testing.T) {
	bridge := NewBridge()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	errs := make(chan error, 1)
	go func() {
		_, err := bridge.run(ctx, &rivertype.JobRow{ID: 2})
		errs <- err
	}()
	handoff := bridge.Next(1, time.Second).Jobs[0]
	if err := <-errs; err == nil {
		t.Fatal("run must return the context's error on timeout")
	}
	notices := bridge.Next(0, time.Second).Cancellations
	if len(notices) != 1 || notices[0].Token != handoff.Token || notices[0].Reason != "timeout" {
		t.Fatalf("notices %+v", notices)
	}
	if bridge.Complete(handoff.Token, Outcome{Kind: Completed}) {
		t.Fatal("a late outcome must be dropped")
	}
	if poll := bridge.Next(1, 10*time.Millisecond); len(poll.Jobs)+len(poll.Cancellations) != 0 {
		t.Fatalf("nothing should be waiting: %+v", poll)
	}
}

func TestPullsEndOnClose(t *testing.T) {
	bridge := NewBridge()
	go func() {
		time.Sleep(20 * time.Millisecond)
		bridge.Close()
	}()
	started := time.Now()
	bridge.Next(1, 5*time.Second)
	bridge.Next(1, 5*time.Second) // closed: at once
	if waited := time.Since(started); waited > 2*time.Second {
		t.Fatalf("Close must end pulls; waited %s", waited)
	}
	bridge.Open()
	started = time.Now()
	bridge.Next(1, 50*time.Millisecond)
	if waited := time.Since(started); waited < 40*time.Millisecond {
		t.Fatalf("an open bridge must wait for work; returned after %s", waited)
	}
}
