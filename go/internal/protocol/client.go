package protocol

import (
	"log/slog"
	"time"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
	"github.com/pyriver/pyriver/go/internal/work"
)

// Scope names where an operation runs: on a client, or inside one of its
// transactions when Tx is set.
type Scope struct {
	Client uint64 `json:"client"`
	Tx     uint64 `json:"tx,omitempty"`
}

// ClientRequest names a client.
type ClientRequest struct {
	Client uint64 `json:"client"`
}

// Empty is a request with no fields.
type Empty struct{}

// TraceRequest starts Go's execution tracer (library.trace_start), writing
// to the file at Path.
type TraceRequest struct {
	Path string `json:"path"`
}

// BuildInfo is what the library was built from (library.info).
type BuildInfo struct {
	River string `json:"river"`
	Go    string `json:"go"`
}

// Description is the contract as this library sees it, for Python to check
// its own half against (library.describe).
type Description struct {
	Methods      []string `json:"methods"`
	JobRowFields []string `json:"job_row_fields"`
	ErrorCodes   []string `json:"error_codes"`
	AppMethods   []string `json:"app_methods"`
}

// ClientOpenRequest opens a client.
type ClientOpenRequest struct {
	URL          string        `json:"url"`
	Config       ClientConfig  `json:"config"`
	PeriodicJobs []PeriodicJob `json:"periodic_jobs"`
}

// ClientConfig is the part of river.Config a Python client sets; a missing
// duration leaves River's default.
type ClientConfig struct {
	ID                          string         `json:"id"`
	Queues                      map[string]int `json:"queues"` // name → max workers
	Kinds                       []KindConfig   `json:"kinds"`
	MaxAttempts                 int            `json:"max_attempts"`
	JobTimeoutSeconds           *float64       `json:"job_timeout_seconds"`
	RescueStuckJobsAfterSeconds *float64       `json:"rescue_stuck_jobs_after_seconds"`
	FetchPollIntervalSeconds    *float64       `json:"fetch_poll_interval_seconds"`
	FetchCooldownSeconds        *float64       `json:"fetch_cooldown_seconds"`
	FetchOnlyKnownKinds         bool           `json:"fetch_only_known_kinds"`
	// LogLevel is the level of Python's "pyriver" logger, as an slog level.
	LogLevel                *int    `json:"log_level"`
	OperationTimeoutSeconds float64 `json:"operation_timeout_seconds"`
	BusyPollSeconds         float64 `json:"busy_poll_seconds"`
}

// MaxBusyPoll bounds busy polling: a longer spin would burn a core through
// every slow query for no gain, as the sleep it avoids costs far less.
const MaxBusyPoll = 10 * time.Millisecond

// KindConfig is a Python worker's registration.
type KindConfig struct {
	Kind string `json:"kind"`
	// TimeoutSeconds overrides the client's job timeout for this kind; 0
	// keeps it, a negative value disables it (River's convention).
	TimeoutSeconds float64 `json:"timeout_seconds"`
}

// Engine converts the configuration, checking worker kinds by River's rule;
// periodic jobs are converted apart because their errors name other
// parameters.
func (c *ClientConfig) Engine() (*engine.Config, error) {
	for _, kind := range c.Kinds {
		if err := checkKind("workers", kind.Kind); err != nil {
			return nil, err
		}
	}
	busyPoll := Duration(c.BusyPollSeconds)
	if busyPoll < 0 || busyPoll > MaxBusyPoll {
		return nil, apierr.Invalid("busy_poll", "must be between 0 and %v, got %v seconds", MaxBusyPoll, c.BusyPollSeconds)
	}
	config := &engine.Config{
		ID:                   c.ID,
		Queues:               c.Queues,
		MaxAttempts:          c.MaxAttempts,
		JobTimeout:           DurationPtr(c.JobTimeoutSeconds),
		RescueStuckJobsAfter: DurationPtr(c.RescueStuckJobsAfterSeconds),
		FetchPollInterval:    DurationPtr(c.FetchPollIntervalSeconds),
		FetchCooldown:        DurationPtr(c.FetchCooldownSeconds),
		FetchOnlyKnownKinds:  c.FetchOnlyKnownKinds,
		OperationTimeout:     Duration(c.OperationTimeoutSeconds),
		BusyPoll:             busyPoll,
	}
	for _, kind := range c.Kinds {
		config.Kinds = append(config.Kinds, work.KindConfig{Kind: kind.Kind, Timeout: Duration(kind.TimeoutSeconds)})
	}
	if c.LogLevel != nil {
		level := slog.Level(*c.LogLevel)
		config.LogLevel = &level
	}
	return config, nil
}

// ClientStopRequest stops a client's workers.
type ClientStopRequest struct {
	ClientRequest
	SoftTimeoutSeconds float64 `json:"soft_timeout_seconds"`
}
