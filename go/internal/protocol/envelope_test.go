package protocol

import (
	"encoding/json"
	"math"
	"testing"
)

func TestScalarEnvelopesAreWrittenAsEncodingJSONWritesThem(t *testing.T) {
	var nilRow *JobRow
	for _, result := range []any{
		nil, true, false, 0, -7, math.MaxInt64, int64(math.MinInt64), uint64(math.MaxUint64),
		"", `quote " and \ backslash`, "<&> é \u2028 \x00", string([]byte{0xff}),
	} {
		want, err := json.Marshal(Envelope{Result: result})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := AppendScalarEnvelope(nil, result)
		if !ok || string(got) != string(want) {
			t.Errorf("%#v: wrote %s (%v), want %s", result, got, ok, want)
		}
	}
	for _, other := range []any{nilRow, []int{1}, map[string]int{}, 1.5} {
		if got, ok := AppendScalarEnvelope(nil, other); ok || len(got) != 0 {
			t.Errorf("%#v: wrote %s, want it left to encoding/json", other, got)
		}
	}
}
