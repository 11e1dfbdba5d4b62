package api

import (
	"context"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("subscribe", rpc.Typed(subscribe))
	rpc.Register("subscription.next", rpc.Typed(subscriptionNext))
	rpc.Register("subscription.close", rpc.Typed(subscriptionClose))
}

// subscription is a River event subscription that Python drains. River's
// channel is the bounded buffer: when Python falls behind by more than its
// 1,000 events, River drops new ones rather than slow job processing.
type subscription struct {
	client uint64
	events <-chan *river.Event
	cancel func()
}

var subscriptions = engine.NewRegistry[*subscription]("subscription") //nolint:gochecknoglobals

var eventKinds = []river.EventKind{ //nolint:gochecknoglobals
	river.EventKindJobCancelled, river.EventKindJobCompleted, river.EventKindJobFailed,
	river.EventKindJobInterrupted, river.EventKindJobSnoozed, river.EventKindQueuePaused, river.EventKindQueueResumed,
}

type subscribeRequest struct {
	clientRequest
	Kinds []river.EventKind `json:"kinds"`
}

func subscribe(_ context.Context, req *subscribeRequest) (uint64, error) {
	if len(req.Kinds) == 0 {
		return 0, apierr.Invalid("kinds", "give at least one event kind")
	}
	for _, kind := range req.Kinds {
		if !slices.Contains(eventKinds, kind) {
			return 0, apierr.Invalid("kinds", "unknown event kind %q", kind)
		}
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return 0, err
	}
	events, cancel, err := client.Subscribe(req.Kinds)
	if err != nil {
		return 0, err
	}
	return subscriptions.Add(&subscription{client: req.Client, events: events, cancel: cancel}), nil
}

type subscriptionRequest struct {
	Subscription   uint64  `json:"subscription"`
	TimeoutSeconds float64 `json:"timeout"`
	Max            int     `json:"max"`
}

type jobStatsWire struct {
	QueueWait float64 `json:"queue_wait"`
	Run       float64 `json:"run"`
	Complete  float64 `json:"complete"`
}

type eventWire struct {
	Kind     river.EventKind `json:"kind"`
	Job      *jobRowWire     `json:"job,omitempty"`
	JobStats *jobStatsWire   `json:"job_stats,omitempty"`
	Queue    *queueWire      `json:"queue,omitempty"`
}

func eventToWire(event *river.Event) eventWire {
	wire := eventWire{Kind: event.Kind}
	if event.Job != nil {
		wire.Job = jobRowToWire(event.Job)
	}
	if event.JobStats != nil {
		wire.JobStats = &jobStatsWire{
			QueueWait: event.JobStats.QueueWaitDuration.Seconds(),
			Run:       event.JobStats.RunDuration.Seconds(),
			Complete:  event.JobStats.CompleteDuration.Seconds(),
		}
	}
	if event.Queue != nil {
		wire.Queue = queueToWire(event.Queue)
	}
	return wire
}

// subscriptionNext waits up to the timeout for events and returns those
// waiting, up to max; closed is true once River ended the subscription
// (the client stopped).
func subscriptionNext(_ context.Context, req *subscriptionRequest) (map[string]any, error) {
	sub, err := subscriptions.Get(req.Subscription)
	if err != nil {
		return nil, err
	}
	timer := time.NewTimer(min(time.Duration(req.TimeoutSeconds*float64(time.Second)), maxPollWait))
	defer timer.Stop()
	wire := []eventWire{}
	for len(wire) < max(req.Max, 1) {
		var (
			event *river.Event
			open  bool
		)
		if len(wire) == 0 {
			select {
			case event, open = <-sub.events:
			case <-timer.C:
				return map[string]any{"events": wire, "closed": false}, nil
			}
		} else {
			select {
			case event, open = <-sub.events:
			default:
				return map[string]any{"events": wire, "closed": false}, nil
			}
		}
		if !open {
			return map[string]any{"events": wire, "closed": true}, nil
		}
		wire = append(wire, eventToWire(event))
	}
	return map[string]any{"events": wire, "closed": false}, nil
}

func subscriptionClose(_ context.Context, req *subscriptionRequest) (bool, error) {
	if sub, ok := subscriptions.Remove(req.Subscription); ok {
		sub.cancel()
	}
	return true, nil
}
