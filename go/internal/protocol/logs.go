package protocol

import (
	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/logbridge"
)

// LogsNextRequest pulls River's log records (logs.next).
type LogsNextRequest struct {
	TimeoutSeconds float64 `json:"timeout_seconds"`
	Max            int     `json:"max"`
}

// Logs are the records waiting and how many were dropped since the last
// pull.
type Logs struct {
	Records []LogRecord `json:"records"`
	Dropped int         `json:"dropped"`
}

// LogRecord is one of River's slog records.
type LogRecord struct {
	TimeUs  int64          `json:"time_us"`
	Level   int            `json:"level"`
	Message string         `json:"message"`
	Attrs   map[string]any `json:"attrs"`
}

// NewLogs encodes the buffer's records.
func NewLogs(records []logbridge.Record, dropped int) *Logs {
	return &Logs{
		Records: sliceutil.Map(records, func(record logbridge.Record) LogRecord {
			return LogRecord{TimeUs: Micros(record.Time), Level: int(record.Level), Message: record.Message, Attrs: record.Attrs}
		}),
		Dropped: dropped,
	}
}
