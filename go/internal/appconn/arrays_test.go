package appconn

import (
	"testing"
	"time"

	"github.com/lib/pq"
)

// The arrays formatted here must be the text lib/pq's GenericArray gives,
// and any other array must be left to it.
func TestArrayTextIsLibPQs(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 2, 19, 18, 41, 600752000, time.UTC)
	formatted := []any{
		[]time.Time{at},
		[]time.Time{at, at.Truncate(time.Second), at.Add(1), at.Add(-600752000 + 500000000)},
		[]time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		[]time.Time{time.Date(2026, 1, 5, 3, 4, 5, 120, london)}, // offset zero in winter
		[]time.Time{},
		[]int16{25, -1, 0, 32767, -32768},
		[]int16{},
	}
	for _, elements := range formatted {
		want, err := pq.GenericArray{A: elements}.Value()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := arrayText(pq.GenericArray{A: elements})
		if !ok || got != want {
			t.Errorf("%v: got %q (%v), want %q", elements, got, ok, want)
		}
	}
	leftToLibPQ := []any{
		pq.GenericArray{A: []time.Time{at, time.Date(2026, 7, 5, 3, 4, 5, 0, london)}}, // summer time
		pq.GenericArray{A: []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}},      // 1 BC
		pq.GenericArray{A: []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		pq.GenericArray{A: []time.Time(nil)},
		pq.GenericArray{A: []int16(nil)},
		pq.GenericArray{A: []int32{1}},
		pq.StringArray{"a"},
		"{1}",
	}
	for _, value := range leftToLibPQ {
		if got, ok := arrayText(value); ok {
			t.Errorf("%#v: formatted as %q, want it left to lib/pq", value, got)
		}
	}
}
