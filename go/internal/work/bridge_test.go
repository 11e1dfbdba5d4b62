package work

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"golang.org/x/sys/unix"
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

// waitReadable waits for the signal's descriptor to become readable and
// empties it, as Python's event loop does; false after the timeout.
func waitReadable(t *testing.T, fd int, timeout time.Duration) bool {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	ready, err := unix.Poll(fds, int(timeout.Milliseconds()))
	if err != nil && err != unix.EINTR {
		t.Fatal(err)
	}
	if ready == 0 {
		return false
	}
	buffer := make([]byte, 4096)
	_, _ = unix.Read(fd, buffer)
	return true
}

// A runner that only pulls when the signal says so must get every job,
// however the jobs' arrivals interleave with its pulls (the race: a job
// raises the signal just before it can be received).
func TestSignalledPullsMissNoJob(t *testing.T) {
	bridge := NewBridge()
	fd, err := bridge.Signal()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Close(fd) }()
	const jobs = 2000
	done := make(chan struct{}, jobs)
	for id := range int64(jobs) {
		go func() {
			_, _ = bridge.run(context.Background(), &rivertype.JobRow{ID: id})
			done <- struct{}{}
		}()
	}
	for completed := 0; completed < jobs; {
		if !waitReadable(t, fd, 2*time.Second) {
			t.Fatalf("no signal with %d of %d jobs completed", completed, jobs)
		}
		for _, handoff := range bridge.Next(50, 0).Jobs {
			bridge.Complete(handoff.Token, Outcome{Kind: Completed})
			<-done
			completed++
		}
	}
}

// pullSignalled pulls, as Python's loop does, each time the signal is
// raised, until a pull brings something (a wake-up may find the job still on
// its way, its goroutine not yet scheduled: the pull then raises the signal
// again).
func pullSignalled(t *testing.T, bridge *Bridge, fd int) Poll {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		if !waitReadable(t, fd, 2*time.Second) {
			t.Fatal("the signal was not raised")
		}
		if poll := bridge.Next(1, 0); len(poll.Jobs)+len(poll.Cancellations) > 0 {
			return poll
		}
	}
	t.Fatal("signalled pulls brought nothing")
	return Poll{}
}

func TestSignalCarriesCancellationsAndEndsWithTheClient(t *testing.T) {
	bridge := NewBridge()
	fd, err := bridge.Signal()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Close(fd) }()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, _ = bridge.run(ctx, &rivertype.JobRow{ID: 1}) }()
	if jobs := pullSignalled(t, bridge, fd).Jobs; len(jobs) != 1 {
		t.Fatalf("pulled %d jobs", len(jobs))
	}
	cancel()
	if notices := pullSignalled(t, bridge, fd).Cancellations; len(notices) != 1 {
		t.Fatalf("notices %+v", notices)
	}
	if waitReadable(t, fd, 50*time.Millisecond) {
		t.Fatal("nothing is waiting: the signal must be quiet")
	}
	bridge.Release()
	if !waitReadable(t, fd, 2*time.Second) {
		t.Fatal("a released bridge must leave the descriptor at end of file")
	}
	if n, _ := unix.Read(fd, make([]byte, 1)); n != 0 {
		t.Fatalf("read %d bytes after release, want end of file", n)
	}
}
