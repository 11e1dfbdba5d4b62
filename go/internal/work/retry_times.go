package work

import (
	"sync"
	"time"
)

// retryTimes passes a retry time from Work to River's NextRetry call, which
// River makes right after Work returns, for the same job.
type retryTimes struct {
	mu    *sync.Mutex
	times map[int64]time.Time
}

func newRetryTimes() retryTimes {
	return retryTimes{mu: &sync.Mutex{}, times: map[int64]time.Time{}}
}

func (r retryTimes) set(jobID int64, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.times[jobID] = at
}

// take returns and forgets the time for a job; zero means "use the client's
// retry policy", as River's WorkerDefaults does.
func (r retryTimes) take(jobID int64) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	at := r.times[jobID]
	delete(r.times, jobID)
	return at
}
