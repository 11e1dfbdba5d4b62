package engine

import (
	"context"
	"encoding/json"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/work"
)

// tracedDriver is River's driver with one difference: when River records a
// failed attempt of a Python job, the AttemptError it writes carries the
// Python traceback, in River's own statement. River fills AttemptError.Trace
// only for Go panics, and a second update after the fact would need River's
// lossy event stream to say when.
type tracedDriver[TTx any] struct {
	riverdriver.Driver[TTx]
	bridge *work.Bridge
}

// GetExecutor is what River's job completer writes attempts through.
func (d *tracedDriver[TTx]) GetExecutor() riverdriver.Executor {
	return &tracedExecutor{Executor: d.Driver.GetExecutor(), bridge: d.bridge}
}

type tracedExecutor struct {
	riverdriver.Executor
	bridge *work.Bridge
}

// JobSetStateIfRunningMany records finished attempts; each failed one with a
// waiting Python traceback gets it in its AttemptError.
func (e *tracedExecutor) JobSetStateIfRunningMany(ctx context.Context, params *riverdriver.JobSetStateIfRunningManyParams) ([]*rivertype.JobRow, error) {
	for i, errData := range params.ErrData {
		if len(errData) == 0 {
			continue
		}
		var attemptErr rivertype.AttemptError
		if json.Unmarshal(errData, &attemptErr) != nil || attemptErr.Trace != "" {
			continue
		}
		if trace, found := e.bridge.TakeTrace(params.ID[i], attemptErr.Attempt); found {
			attemptErr.Trace = trace
			if withTrace, err := json.Marshal(attemptErr); err == nil {
				params.ErrData[i] = withTrace
			}
		}
	}
	return e.Executor.JobSetStateIfRunningMany(ctx, params)
}
