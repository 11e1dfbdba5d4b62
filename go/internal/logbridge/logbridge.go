// Package logbridge carries River's logs to Python's logging.
//
// Go must never write to the process's stdout or stderr, and must never call
// into Python. So River logs into a bounded in-memory buffer through an
// slog.Handler, and a Python thread pulls the records and emits them on the
// "pyriver" logger. When Python falls behind, the oldest records are dropped
// and counted, never blocking River.
package logbridge

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Capacity is how many records wait for Python before the oldest are dropped.
const Capacity = 10_000

// Record is one log record as Python receives it.
type Record struct {
	Time    time.Time
	Level   slog.Level
	Message string
	Attrs   map[string]any
}

// Buffer is a bounded queue of records.
type Buffer struct {
	mu      sync.Mutex
	records []Record
	dropped int
	ready   chan struct{} // signalled (non-blocking) when records arrive
	level   slog.LevelVar
}

// Logs is the process-wide buffer: one Go runtime, one Python pump.
var Logs = newBuffer() //nolint:gochecknoglobals // River logs from every client land in one buffer

func newBuffer() *Buffer {
	buffer := &Buffer{ready: make(chan struct{}, 1)}
	buffer.level.Set(slog.LevelWarn)
	return buffer
}

// SetLevel sets the lowest level recorded, from Python's logger level: Go
// cannot read Python's configuration itself.
func (b *Buffer) SetLevel(level slog.Level) { b.level.Set(level) }

func (b *Buffer) add(record Record) {
	b.mu.Lock()
	if len(b.records) >= Capacity {
		b.records = b.records[1:]
		b.dropped++
	}
	b.records = append(b.records, record)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// Next waits up to timeout for records and returns up to max of them, with
// the number dropped since the last call.
func (b *Buffer) Next(timeout time.Duration, max int) ([]Record, int) {
	if taken, dropped := b.take(max); len(taken) > 0 || dropped > 0 {
		return taken, dropped
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-b.ready:
	case <-timer.C:
	}
	return b.take(max)
}

func (b *Buffer) take(max int) ([]Record, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	count := min(max, len(b.records))
	taken := append([]Record{}, b.records[:count]...)
	b.records = b.records[count:]
	dropped := b.dropped
	b.dropped = 0
	return taken, dropped
}

// Logger returns an slog.Logger that records into the buffer.
func Logger() *slog.Logger { return slog.New(&handler{buffer: Logs}) }

type handler struct {
	buffer *Buffer
	attrs  []slog.Attr
	group  string
}

func (h *handler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.buffer.level.Level()
}

func (h *handler) Handle(_ context.Context, record slog.Record) error {
	attrs := make(map[string]any, len(h.attrs)+record.NumAttrs())
	for _, attr := range h.attrs {
		attrs[attr.Key] = jsonable(attr.Value.Resolve())
	}
	record.Attrs(func(attr slog.Attr) bool {
		key := attr.Key
		if h.group != "" {
			key = h.group + "." + key
		}
		attrs[key] = jsonable(attr.Value.Resolve())
		return true
	})
	h.buffer.add(Record{Time: record.Time, Level: record.Level, Message: record.Message, Attrs: attrs})
	return nil
}

// jsonable keeps values JSON can carry and renders the rest as text.
func jsonable(value slog.Value) any {
	switch value.Kind() {
	case slog.KindString, slog.KindInt64, slog.KindUint64, slog.KindFloat64, slog.KindBool:
		return value.Any()
	default:
		return value.String()
	}
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &handler{buffer: h.buffer, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...), group: h.group}
}

func (h *handler) WithGroup(name string) slog.Handler {
	group := name
	if h.group != "" {
		group = h.group + "." + name
	}
	return &handler{buffer: h.buffer, attrs: h.attrs, group: group}
}
