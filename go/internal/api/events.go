package api

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.EventsSubscribe, rpc.Typed(subscribe))
	rpc.Register(protocol.EventsNext, rpc.Typed(eventsNext))
	rpc.Register(protocol.EventsClose, rpc.Typed(eventsClose))
}

func subscribe(_ context.Context, req *protocol.SubscribeRequest) (uint64, error) {
	if err := req.Validate(); err != nil {
		return 0, err
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

// eventsNext waits up to the timeout for an event and returns those waiting,
// up to max, and whether River ended the subscription (the client stopped).
func eventsNext(_ context.Context, req *protocol.SubscriptionRequest) (*protocol.Events, error) {
	sub, err := subscriptions.Get(req.Subscription)
	if err != nil {
		return nil, err
	}
	events, closed := sub.take(max(req.Max, 1), pollWait(req.TimeoutSeconds))
	return protocol.NewEvents(events, closed), nil
}

func (sub *subscription) take(limit int, wait time.Duration) (events []*river.Event, closed bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case event, open := <-sub.events:
		if !open {
			return nil, true
		}
		events = append(events, event)
	case <-timer.C:
		return nil, false
	}
	for len(events) < limit {
		select {
		case event, open := <-sub.events:
			if !open {
				return events, true
			}
			events = append(events, event)
		default:
			return events, false
		}
	}
	return events, false
}

func eventsClose(_ context.Context, req *protocol.SubscriptionRequest) (bool, error) {
	if sub, ok := subscriptions.Remove(req.Subscription); ok {
		sub.cancel()
	}
	return true, nil
}
