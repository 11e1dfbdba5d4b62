package api

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("periodic.add", rpc.Typed(periodicAdd))
	rpc.Register("periodic.remove", rpc.Typed(periodicRemove))
	rpc.Register("periodic.clear", rpc.Typed(periodicClear))
}

// periodicJobWire is a periodic job: a schedule (an interval in seconds, or
// a standard 5-field cron expression) and the job it enqueues. River's
// elected leader enqueues it, so several clients never double it.
type periodicJobWire struct {
	Interval   *float64         `json:"interval"`
	Cron       string           `json:"cron"`
	Job        insertParamsWire `json:"job"`
	RunOnStart bool             `json:"run_on_start"`
	ID         string           `json:"id"`
}

func (p *periodicJobWire) toRiver() (*river.PeriodicJob, error) {
	var schedule river.PeriodicSchedule
	switch {
	case p.Interval != nil && p.Cron != "":
		return nil, apierr.Invalid("schedule", "give an interval or a cron expression, not both")
	case p.Interval != nil:
		if *p.Interval <= 0 {
			return nil, apierr.Invalid("schedule", "interval must be positive, got %v seconds", *p.Interval)
		}
		schedule = river.PeriodicInterval(time.Duration(*p.Interval * float64(time.Second)))
	case p.Cron != "":
		parsed, err := cron.ParseStandard(p.Cron)
		if err != nil {
			return nil, apierr.Invalid("schedule", "bad cron expression %q: %v", p.Cron, err)
		}
		schedule = parsed
	default:
		return nil, apierr.Invalid("schedule", "give an interval or a cron expression")
	}
	params, err := p.Job.toRiver()
	if err != nil {
		return nil, err
	}
	constructor := func() (river.JobArgs, *river.InsertOpts) {
		if params.InsertOpts == nil {
			return params.Args, nil
		}
		opts := *params.InsertOpts // a copy per enqueue: River owns what it is given
		return params.Args, &opts
	}
	return river.NewPeriodicJob(schedule, constructor, &river.PeriodicJobOpts{RunOnStart: p.RunOnStart, ID: p.ID}), nil
}

func periodicJobsToRiver(wire []periodicJobWire) ([]*river.PeriodicJob, error) {
	return sliceutil.MapError(wire, func(job periodicJobWire) (*river.PeriodicJob, error) { return job.toRiver() })
}

type periodicRequest struct {
	clientRequest
	Job    periodicJobWire `json:"job"`
	Handle int             `json:"handle"`
}

func periodicAdd(_ context.Context, req *periodicRequest) (int, error) {
	job, err := req.Job.toRiver()
	if err != nil {
		return 0, err
	}
	bundle, err := req.bundle()
	if err != nil {
		return 0, err
	}
	handle, err := bundle.AddSafely(job)
	if err != nil {
		return 0, apierr.Classify(err, "id")
	}
	return int(handle), nil
}

func (req *periodicRequest) bundle() (*river.PeriodicJobBundle, error) {
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	return client.PeriodicJobs()
}

func periodicRemove(_ context.Context, req *periodicRequest) (bool, error) {
	bundle, err := req.bundle()
	if err != nil {
		return false, err
	}
	bundle.Remove(rivertype.PeriodicJobHandle(req.Handle))
	return true, nil
}

func periodicClear(_ context.Context, req *periodicRequest) (bool, error) {
	bundle, err := req.bundle()
	if err != nil {
		return false, err
	}
	bundle.Clear()
	return true, nil
}
