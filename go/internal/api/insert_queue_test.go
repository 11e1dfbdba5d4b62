package api

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyriver/pyriver/go/internal/protocol"
)

func TestQueuedChunksRunOneAtATimeInTheOrderSent(t *testing.T) {
	var queue queuedInserts
	var running, overlaps atomic.Int32
	for chunk := range 5 {
		queue.add(func(context.Context) ([]byte, error) {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer running.Add(-1)
			time.Sleep(time.Duration(5-chunk) * time.Millisecond) // later chunks would finish first
			return []byte(fmt.Sprint(chunk)), nil
		})
	}
	var taken protocol.InsertResultChunks
	for len(taken) == 0 { // what sends take while the first chunks are done
		time.Sleep(time.Millisecond)
		taken = append(taken, queue.take()...)
	}
	results, err := queue.receive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := string(append(taken, results...).AppendJSON(nil)); got != "[0,1,2,3,4]" || len(taken) == 0 {
		t.Fatalf("results %s (%d taken before the receive), want [0,1,2,3,4]", got, len(taken))
	}
	if overlaps.Load() != 0 {
		t.Fatalf("%d chunks ran while another was running", overlaps.Load())
	}
	if again, err := queue.receive(context.Background()); err != nil || string(again.AppendJSON(nil)) != "[]" {
		t.Fatalf("a second receive got %s, %v; want nothing left", again.AppendJSON(nil), err)
	}
}

func TestChunksAfterAFailedOneDoNotRun(t *testing.T) {
	var queue queuedInserts
	failure := errors.New("chunk 1 failed")
	var ran atomic.Int32
	for chunk := range 3 {
		queue.add(func(context.Context) ([]byte, error) {
			ran.Add(1)
			if chunk == 1 {
				return nil, failure
			}
			return []byte("[]"), nil
		})
	}
	if _, err := queue.receive(context.Background()); !errors.Is(err, failure) {
		t.Fatalf("receive: %v, want the failed chunk's error", err)
	}
	if ran.Load() != 2 {
		t.Fatalf("%d chunks ran, want 2 (none after the failure)", ran.Load())
	}
}

func TestSettlingEndsTheChunkInFlightOrReportsAFailureNotReceived(t *testing.T) {
	var queue queuedInserts
	started := make(chan struct{})
	queue.add(func(ctx context.Context) ([]byte, error) {
		close(started)
		<-ctx.Done() // a chunk waiting on the database
		return nil, ctx.Err()
	})
	<-started
	if err := queue.settle(true); !errors.Is(err, context.Canceled) {
		t.Fatalf("settle(cancel): %v, want the chunk ended by cancellation", err)
	}

	failure := errors.New("not received")
	queue.add(func(context.Context) ([]byte, error) { return nil, failure })
	if err := queue.settle(false); !errors.Is(err, failure) {
		t.Fatalf("settle: %v, want the unreceived failure", err)
	}
	if err := queue.settle(false); err != nil {
		t.Fatalf("settle with nothing queued: %v", err)
	}
}

func TestReceiveGivesUpWhenItsCallIsCancelled(t *testing.T) {
	var queue queuedInserts
	release := make(chan struct{})
	queue.add(func(context.Context) ([]byte, error) { <-release; return []byte("[]"), nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C in Python
	if _, err := queue.receive(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("receive: %v, want its cancellation", err)
	}
	close(release)
	if err := queue.settle(false); err != nil {
		t.Fatalf("settle after the chunk finished: %v", err)
	}
}
