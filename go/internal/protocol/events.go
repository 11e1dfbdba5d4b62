package protocol

import (
	"slices"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// EventKinds are the River events a Python client can subscribe to.
var EventKinds = []river.EventKind{ //nolint:gochecknoglobals // a constant list
	river.EventKindJobCancelled, river.EventKindJobCompleted, river.EventKindJobFailed,
	river.EventKindJobInterrupted, river.EventKindJobSnoozed, river.EventKindQueuePaused, river.EventKindQueueResumed,
}

// SubscribeRequest subscribes to River's events (events.subscribe).
type SubscribeRequest struct {
	ClientRequest
	Kinds []river.EventKind `json:"kinds"`
}

// Validate checks the kinds.
func (req *SubscribeRequest) Validate() error {
	if len(req.Kinds) == 0 {
		return apierr.Invalid("kinds", "give at least one event kind")
	}
	for _, kind := range req.Kinds {
		if !slices.Contains(EventKinds, kind) {
			return apierr.Invalid("kinds", "unknown event kind %q", kind)
		}
	}
	return nil
}

// SubscriptionRequest names a subscription (events.next, events.close).
type SubscriptionRequest struct {
	Subscription   uint64  `json:"subscription"`
	TimeoutSeconds float64 `json:"timeout_seconds"`
	Max            int     `json:"max"`
}

// Events is what events.next returns: the events waiting, and whether River
// ended the subscription (the client stopped).
type Events struct {
	Events []Event `json:"events"`
	Closed bool    `json:"closed"`
}

// Event is river.Event.
type Event struct {
	Kind     river.EventKind `json:"kind"`
	Job      *JobRow         `json:"job,omitempty"`
	JobStats *JobStatistics  `json:"job_stats,omitempty"`
	Queue    *Queue          `json:"queue,omitempty"`
}

// JobStatistics is river.JobStatistics.
type JobStatistics struct {
	QueueWaitSeconds float64 `json:"queue_wait_seconds"`
	RunSeconds       float64 `json:"run_seconds"`
	CompleteSeconds  float64 `json:"complete_seconds"`
}

// NewEvents encodes River's events.
func NewEvents(events []*river.Event, closed bool) *Events {
	return &Events{Events: sliceutil.Map(events, newEvent), Closed: closed}
}

func newEvent(event *river.Event) Event {
	wire := Event{Kind: event.Kind}
	if event.Job != nil {
		wire.Job = NewJobRow(event.Job)
	}
	if event.JobStats != nil {
		wire.JobStats = &JobStatistics{
			QueueWaitSeconds: event.JobStats.QueueWaitDuration.Seconds(),
			RunSeconds:       event.JobStats.RunDuration.Seconds(),
			CompleteSeconds:  event.JobStats.CompleteDuration.Seconds(),
		}
	}
	if event.Queue != nil {
		wire.Queue = NewQueue(event.Queue)
	}
	return wire
}
