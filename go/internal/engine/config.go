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

// Config is the part of river.Config a Python client sets. A zero duration
// leaves River's default.
type Config struct {
	ID string
	// Queues maps each queue a client with workers works to its number of
	// worker slots.
	Queues               map[string]int
	Kinds                []work.KindConfig
	MaxAttempts          int
	JobTimeout           time.Duration // negative: none
	RescueStuckJobsAfter time.Duration
	FetchPollInterval    time.Duration
	FetchCooldown        time.Duration
	// FetchOnlyKnownKinds lets Python and Go clients with different workers
	// share a queue.
	FetchOnlyKnownKinds bool
	// LogLevel, if set, is the level of Python's "pyriver" logger.
	LogLevel *slog.Level
	// OperationTimeout bounds each operation made on the client outside a
	// transaction; 0 means none.
	OperationTimeout time.Duration
	// BusyPoll is how long a Python call's wait for PostgreSQL stays awake
	// before it sleeps (package threadconn); 0 means it sleeps at once.
	BusyPoll     time.Duration
	PeriodicJobs []*river.PeriodicJob
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
		JobTimeout:           c.JobTimeout,
		RescueStuckJobsAfter: c.RescueStuckJobsAfter,
		FetchPollInterval:    c.FetchPollInterval,
		FetchCooldown:        c.FetchCooldown,
		Middleware:           []rivertype.Middleware{&insertmw.FullArgs{}, &insertmw.Middleware{}, &insertmw.SetMetadata{}},
	}
	if c.JobTimeout < 0 {
		config.JobTimeout = -1 // River: a negative timeout means none
	}
	return config
}

// riverConfig builds River's configuration. River validates it when the
// client is created; pyriver only converts units.
func (c *Config) riverConfig(bridge *work.Bridge) (*river.Config, error) {
	if c.LogLevel != nil {
		logbridge.Logs.SetLevel(*c.LogLevel)
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
	for name, maxWorkers := range c.Queues {
		config.Queues[name] = river.QueueConfig{MaxWorkers: maxWorkers}
	}
	config.FetchOnlyKnownKinds = c.FetchOnlyKnownKinds
	// Inserting kinds that other programs (Go workers) work is the point of
	// a mixed deployment, so a Python client never refuses a kind it lacks.
	config.SkipUnknownJobCheck = true
	return config, nil
}
