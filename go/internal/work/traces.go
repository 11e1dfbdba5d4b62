package work

import "sync"

// River records an AttemptError's trace only for Go panics. Work remembers
// a Python handler's traceback here until River writes the failed attempt,
// and the engine's driver adds it to that write (engine.tracedExecutor).
type traces struct {
	mu      sync.Mutex
	byJobID map[int64]pendingTrace
}

type pendingTrace struct {
	attempt int
	trace   string
}

func (t *traces) remember(jobID int64, attempt int, trace string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byJobID == nil {
		t.byJobID = map[int64]pendingTrace{}
	}
	t.byJobID[jobID] = pendingTrace{attempt: attempt, trace: trace}
}

// TakeTrace returns and forgets the traceback of a job's failed attempt.
func (b *Bridge) TakeTrace(jobID int64, attempt int) (string, bool) {
	b.traces.mu.Lock()
	defer b.traces.mu.Unlock()
	pending, ok := b.traces.byJobID[jobID]
	if !ok || pending.attempt != attempt {
		return "", false
	}
	delete(b.traces.byJobID, jobID)
	return pending.trace, true
}
