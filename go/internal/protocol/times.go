package protocol

import (
	"math"
	"time"
)

// Micros encodes a time.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// MicrosPtr encodes an optional time; nil stays null.
func MicrosPtr(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	value := t.UnixMicro()
	return &value
}

// FromMicros decodes a time.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// FromMicrosPtr decodes an optional time.
func FromMicrosPtr(us *int64) *time.Time {
	if us == nil {
		return nil
	}
	value := FromMicros(*us)
	return &value
}

// Duration decodes seconds. Values beyond what a time.Duration holds
// saturate instead of wrapping around; NaN is zero.
func Duration(seconds float64) time.Duration {
	switch {
	case math.IsNaN(seconds):
		return 0
	case seconds >= math.MaxInt64/float64(time.Second):
		return math.MaxInt64
	case seconds <= math.MinInt64/float64(time.Second):
		return math.MinInt64
	}
	return time.Duration(seconds * float64(time.Second))
}

// DurationPtr decodes optional seconds; nil is zero (River's "default").
func DurationPtr(seconds *float64) time.Duration {
	if seconds == nil {
		return 0
	}
	return Duration(*seconds)
}
