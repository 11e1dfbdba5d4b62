package logbridge

import (
	"log/slog"
	"testing"
	"time"
)

func TestRecordsAboveTheLevelWithAttrs(t *testing.T) {
	buffer := newBuffer()
	logger := slog.New(&handler{buffer: buffer}).With("client", "c1")
	buffer.SetLevel(slog.LevelInfo)
	logger.Debug("hidden")
	logger.Info("shown", slog.Int64("job_id", 7), slog.Duration("took", time.Second))
	records, dropped := buffer.Next(time.Millisecond, 10)
	if dropped != 0 || len(records) != 1 {
		t.Fatalf("records %+v dropped %d", records, dropped)
	}
	record := records[0]
	if record.Message != "shown" || record.Attrs["client"] != "c1" || record.Attrs["job_id"] != int64(7) || record.Attrs["took"] != "1s" {
		t.Fatalf("unexpected record %+v", record)
	}
}

func TestFullBufferDropsOldestAndCounts(t *testing.T) {
	buffer := newBuffer()
	logger := slog.New(&handler{buffer: buffer})
	for range Capacity + 5 {
		logger.Warn("x")
	}
	records, dropped := buffer.Next(time.Millisecond, Capacity+10)
	if len(records) != Capacity || dropped != 5 {
		t.Fatalf("kept %d, dropped %d", len(records), dropped)
	}
	if records, dropped = buffer.Next(time.Millisecond, 10); len(records) != 0 || dropped != 0 {
		t.Fatalf("buffer not drained: %d, %d", len(records), dropped)
	}
}
