package protocol

import (
	"errors"
	"testing"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

func TestBusyPollReachesTheEngineWithinItsBounds(t *testing.T) {
	for seconds, want := range map[float64]time.Duration{0: 0, 0.0005: 500 * time.Microsecond, 0.01: MaxBusyPoll} {
		config, err := (&ClientConfig{BusyPollSeconds: seconds}).Engine()
		if err != nil || config.BusyPoll != want {
			t.Fatalf("busy_poll %v s: %v, %v; want %v", seconds, config, err, want)
		}
	}
	for _, seconds := range []float64{-1e-6, 0.0101, 60} {
		_, err := (&ClientConfig{BusyPollSeconds: seconds}).Engine()
		var invalid *apierr.Error
		if !errors.As(err, &invalid) || invalid.Param != "busy_poll" {
			t.Fatalf("busy_poll %v s: %v, want an error naming busy_poll", seconds, err)
		}
	}
}
