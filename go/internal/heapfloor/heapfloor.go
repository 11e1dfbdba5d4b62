// Package heapfloor keeps Go's garbage collector from collecting a heap that
// is tiny next to the Python process it lives in.
//
// With Go's default GOGC=100 the collector runs when the heap doubles, and
// never before 4 MB. The library's live heap is about 2 MB while it works
// jobs, so Go collected 18 times a second: 126 collections in 7 s of no-op
// jobs (GODEBUG=gctrace=1), 6% of the process's CPU (perf).
// Here a collection waits for a fixed floor of new allocation (GC percent =
// floor / live heap), and a live heap larger than the floor is collected as Go
// would collect it. The cost is memory: up to the floor more than Go's default.
//
// Go reads GOGC from the environment the process started with; when it is
// set, the process chose its own pace and nothing here runs.
package heapfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// defaultPercent is Go's GOGC when the environment does not set one.
const defaultPercent = 100

// minimumHeap is the heap Go never collects below at GOGC=100 (the runtime's
// heapMinimum, scaled by the percent).
const minimumHeap = 4 << 20

const liveHeapMetric = "/gc/heap/live:bytes"

// Install sets the pace for the rest of the process: after every collection,
// the next one waits for about floorBytes of new allocation, or for the heap
// to double, whichever is more. It does nothing when GOGC is set. Stop
// returns the process to Go's default pace.
func Install(floorBytes uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	p := &pacer{floor: floorBytes, sample: []metrics.Sample{{Name: liveHeapMetric}}}
	p.adjust()
	p.arm()
	return func() {
		p.stopped.Store(true)
		debug.SetGCPercent(defaultPercent)
	}
}

type pacer struct {
	floor   uint64
	sample  []metrics.Sample
	stopped atomic.Bool
}

// sentinel is garbage the moment it is made: its cleanup runs after the
// collection that finds it, which is how the pacer hears of every cycle.
// It holds a pointer so that it is never one of the tiny allocations whose
// cleanups may not run.
type sentinel struct{ _ *sentinel }

func (p *pacer) arm() {
	runtime.AddCleanup(new(sentinel), func(p *pacer) {
		if !p.stopped.Load() {
			p.adjust()
			p.arm()
		}
	}, p)
}

func (p *pacer) adjust() {
	metrics.Read(p.sample)
	debug.SetGCPercent(percentFor(p.floor, p.sample[0].Value.Uint64()))
}

// percentFor is the GC percent that lets a heap with live bytes take about
// floor bytes of new allocation before it is collected, and never less than
// Go's default. Go never collects a heap under 4 MiB scaled by the percent,
// so a live heap under 4 MiB counts as 4 MiB (otherwise the wait would be
// many times the floor).
func percentFor(floor, live uint64) int {
	return max(defaultPercent, int(floor*defaultPercent/max(live, minimumHeap)))
}
