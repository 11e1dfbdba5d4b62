package protocol

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/robfig/cron/v3"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// PeriodicJob is a periodic job: a schedule (an interval, or a standard
// 5-field cron expression) and the job it enqueues. River's elected leader
// enqueues it, so several clients never double it.
type PeriodicJob struct {
	IntervalSeconds *float64     `json:"interval_seconds"`
	Cron            string       `json:"cron"`
	Job             InsertParams `json:"job"`
	RunOnStart      bool         `json:"run_on_start"`
	ID              string       `json:"id"`
}

// River converts the periodic job.
func (p *PeriodicJob) River() (*river.PeriodicJob, error) {
	var schedule river.PeriodicSchedule
	switch {
	case p.IntervalSeconds != nil && p.Cron != "":
		return nil, apierr.Invalid("schedule", "give an interval or a cron expression, not both")
	case p.IntervalSeconds != nil:
		if !(*p.IntervalSeconds > 0) { // also NaN
			return nil, apierr.Invalid("schedule", "interval must be positive, got %v seconds", *p.IntervalSeconds)
		}
		schedule = river.PeriodicInterval(Duration(*p.IntervalSeconds))
	case p.Cron != "":
		parsed, err := cron.ParseStandard(p.Cron)
		if err != nil {
			return nil, apierr.Invalid("schedule", "bad cron expression %q: %v", p.Cron, err)
		}
		schedule = parsed
	default:
		return nil, apierr.Invalid("schedule", "give an interval or a cron expression")
	}
	params, err := p.Job.River()
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

// PeriodicJobs converts a client's periodic jobs.
func PeriodicJobs(jobs []PeriodicJob) ([]*river.PeriodicJob, error) {
	return sliceutil.MapError(jobs, func(job PeriodicJob) (*river.PeriodicJob, error) { return job.River() })
}

// PeriodicRequest changes a running client's periodic jobs (periodic.add,
// periodic.remove, periodic.clear).
type PeriodicRequest struct {
	ClientRequest
	Job    PeriodicJob `json:"job"`
	Handle int         `json:"handle"`
}
