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
	handoff := bridge.Next(time.Second)
	if handoff == nil || handoff.Job.ID != 1 {
		t.Fatalf("no handoff: %+v", handoff)
	}
	if !bridge.Complete(handoff.Token, Outcome{Kind: "completed"}) {
		t.Fatal("outcome refused")
	}
	if outcome := <-done; outcome.Kind != "completed" {
		t.Fatalf("outcome %+v", outcome)
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
	handoff := bridge.Next(time.Second)
	if err := <-errs; err == nil {
		t.Fatal("run must return the context's error on timeout")
	}
	notices := bridge.NextCancellations(time.Second)
	if len(notices) != 1 || notices[0].Token != handoff.Token || notices[0].Reason != "timeout" {
		t.Fatalf("notices %+v", notices)
	}
	if bridge.Complete(handoff.Token, Outcome{Kind: "completed"}) {
		t.Fatal("a late outcome must be dropped")
	}
	if bridge.Next(10*time.Millisecond) != nil {
		t.Fatal("no job should be waiting")
	}
}
