package engine

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/insertmw"
	"github.com/pyriver/pyriver/go/internal/logbridge"
	"github.com/pyriver/pyriver/go/internal/work"
)

// Config is the part of river.Config a Python client sets. Durations are in
// seconds; nil leaves River's default.
type Config struct {
	ID                          string                 `json:"id"`
	Queues                      map[string]QueueConfig `json:"queues"`
	Kinds                       []work.KindConfig      `json:"kinds"`
	MaxAttempts                 int                    `json:"max_attempts"`
	JobTimeoutSeconds           *float64               `json:"job_timeout"`
	RescueStuckJobsAfterSeconds *float64               `json:"rescue_stuck_jobs_after"`
	FetchPollIntervalSeconds    *float64               `json:"fetch_poll_interval"`
	FetchCooldownSeconds        *float64               `json:"fetch_cooldown"`
	// FetchOnlyKnownKinds defaults to true for clients with workers, so that
	// Python and Go clients with different workers can share a queue.
	FetchOnlyKnownKinds *bool `json:"fetch_only_known_kinds"`
	// LogLevel is the level of Python's "pyriver" logger, as an slog level.
	LogLevel *int `json:"log_level"`
	// OperationTimeoutSeconds bounds each operation made on the client
	// outside a transaction; 0 means none.
	OperationTimeoutSeconds float64 `json:"operation_timeout"`
	// PeriodicJobs are built by the caller from their wire form.
	PeriodicJobs []*river.PeriodicJob `json:"-"`
}

// QueueConfig is river.QueueConfig.
type QueueConfig struct {
	MaxWorkers int `json:"max_workers"`
}

func seconds(value *float64) time.Duration {
	if value == nil {
		return 0
	}
	return time.Duration(*value * float64(time.Second))
}

// insertConfig is the part of River's configuration that inserts and job
// operations use, shared by the client and its twin on application
// connections so that both insert exactly alike.
func (c *Config) insertConfig() *river.Config {
	config := &river.Config{
		ID: c.ID,
		// River logs to Python's logging, never to stdout/stderr.
		Logger:               logbridge.Logger(),
		MaxAttempts:          c.MaxAttempts,
		JobTimeout:           seconds(c.JobTimeoutSeconds),
		RescueStuckJobsAfter: seconds(c.RescueStuckJobsAfterSeconds),
		FetchPollInterval:    seconds(c.FetchPollIntervalSeconds),
		FetchCooldown:        seconds(c.FetchCooldownSeconds),
		JobInsertMiddleware:  []rivertype.JobInsertMiddleware{&insertmw.Middleware{}},
	}
	if c.JobTimeoutSeconds != nil && *c.JobTimeoutSeconds < 0 {
		config.JobTimeout = -1 // River: a negative timeout means none
	}
	return config
}

// riverConfig builds River's configuration. River validates it when the
// client is created; pyriver only converts units.
func (c *Config) riverConfig(bridge *work.Bridge) (*river.Config, error) {
	if c.LogLevel != nil {
		logbridge.Logs.SetLevel(slog.Level(*c.LogLevel))
	}
	config := c.insertConfig()
	config.PeriodicJobs = c.PeriodicJobs
	if len(c.Kinds) == 0 {
		if len(c.Queues) > 0 {
			return nil, apierr.Invalid("queues", "queues are worked only by a client with workers")
		}
		return config, nil
	}
	if len(c.Queues) == 0 {
		return nil, apierr.Invalid("queues", "a client with workers needs at least one queue to work")
	}
	config.Workers = river.NewWorkers()
	if err := work.Register(config.Workers, bridge, c.Kinds); err != nil {
		return nil, apierr.Invalid("workers", "%v", err)
	}
	config.Queues = make(map[string]river.QueueConfig, len(c.Queues))
	for name, queue := range c.Queues {
		config.Queues[name] = river.QueueConfig{MaxWorkers: queue.MaxWorkers}
	}
	config.FetchOnlyKnownKinds = c.FetchOnlyKnownKinds == nil || *c.FetchOnlyKnownKinds
	// Inserting kinds that other programs (Go workers) work is the point of
	// a mixed deployment, so a Python client never refuses a kind it lacks.
	config.SkipUnknownJobCheck = true
	return config, nil
}
