package heapfloor

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercentForAFloorOverTheLiveHeap(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name        string
		floor, live uint64
		want        int
	}{
		{"a live heap under Go's minimum counts as the minimum", 16 * mib, 2 * mib, 400},
		{"nothing live yet", 16 * mib, 0, 400},
		{"the floor over the live heap", 16 * mib, 8 * mib, 200},
		{"a live heap over the floor is paced as Go paces it", 16 * mib, 64 * mib, 100},
	}
	for _, c := range cases {
		if got := percentFor(c.floor, c.live); got != c.want {
			t.Errorf("%s: percentFor(%d, %d) = %d, want %d", c.name, c.floor, c.live, got, c.want)
		}
	}
}

func TestEveryCollectionSetsThePace(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Cleanup(Install(64 << 20))
	waitForPercent(t, 1_600) // 64 MiB over a live heap under 4 MiB

	// A live heap larger than the floor: the next collections go back to Go's pace.
	live := make([][]byte, 0, 256)
	for range 256 {
		live = append(live, make([]byte, 1<<20))
	}
	waitForPercent(t, 100)
	runtime.KeepAlive(live) // and garbage from here on

	waitForPercent(t, 1_600)
}

func TestGOGCInTheEnvironmentIsLeftAlone(t *testing.T) {
	t.Setenv("GOGC", "100")
	t.Cleanup(Install(64 << 20))
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if got := gcPercent(); got != 100 {
		t.Fatalf("GC percent %d with GOGC=100 set, want 100", got)
	}
}

// waitForPercent collects until the pacer has set the percent, as the
// cleanup runs on its own goroutine after the collection.
func waitForPercent(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != want {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent %d, want %d", gcPercent(), want)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

func gcPercent() int {
	sample := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(sample)
	return int(sample[0].Value.Uint64())
}
