package work

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
)

// pythonArgs stands for the args of a kind that Python works. River decodes
// each job's args into it; the handler reads them from the job row instead,
// so UnmarshalJSON keeps nothing.
type pythonArgs struct{ kind string }

func (a pythonArgs) Kind() string                { return a.kind }
func (a *pythonArgs) UnmarshalJSON([]byte) error { return nil }

// pythonWorker is the River worker for every kind Python handles.
type pythonWorker struct {
	river.WorkerDefaults[pythonArgs]
	bridge  *Bridge
	timeout time.Duration

	// nextRetry holds retry times Python asked for, by job id, until River
	// asks for them right after Work returns.
	nextRetry retryTimes
}

// KindConfig is a Python worker's registration.
type KindConfig struct {
	Kind string
	// Timeout overrides the client's job timeout for this kind; 0 keeps it,
	// a negative value disables it (River's convention).
	Timeout time.Duration
}

// Register adds a River worker for each Python kind. River's AddWorkerArgs
// takes the args value explicitly, which is what makes a kind chosen at run
// time possible.
func Register(workers *river.Workers, bridge *Bridge, kinds []KindConfig) error {
	for _, kind := range kinds {
		worker := &pythonWorker{bridge: bridge, timeout: kind.Timeout, nextRetry: newRetryTimes()}
		if err := addWorker(workers, kind.Kind, worker); err != nil {
			return err
		}
	}
	return nil
}

// addWorker converts AddWorkerArgs' panic on an invalid registration (a bad
// kind name, a kind registered twice) into an error.
func addWorker(workers *river.Workers, kind string, worker *pythonWorker) (err error) {
	defer func() {
		if recovered := recover(); recovered != nil {
			if recoveredErr, ok := recovered.(error); ok {
				err = recoveredErr
			} else {
				err = errors.New("cannot register worker for kind " + kind)
			}
		}
	}()
	river.AddWorkerArgs(workers, pythonArgs{kind: kind}, worker)
	return nil
}

func (w *pythonWorker) Timeout(*river.Job[pythonArgs]) time.Duration { return w.timeout }

func (w *pythonWorker) NextRetry(job *river.Job[pythonArgs]) time.Time {
	return w.nextRetry.take(job.ID)
}

func (w *pythonWorker) Work(ctx context.Context, job *river.Job[pythonArgs]) error {
	outcome, err := w.bridge.run(ctx, job.JobRow)
	if err != nil {
		return err
	}
	if len(outcome.Output) > 0 {
		if err := river.RecordOutput(ctx, outcome.Output); err != nil {
			return err
		}
	}
	switch outcome.Kind {
	case Completed:
		return nil
	case Snoozed:
		return river.JobSnooze(outcome.Snooze)
	case Cancelled:
		return river.JobCancel(errors.New(outcome.Message))
	default:
		if outcome.NextRetry != nil {
			w.nextRetry.set(job.ID, *outcome.NextRetry)
		}
		if outcome.Trace != "" {
			w.bridge.traces.remember(job.ID, job.Attempt, outcome.Trace)
		}
		return errors.New(outcome.Message)
	}
}
