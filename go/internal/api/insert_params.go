package api

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// dynamicArgs is a job's args whose kind is only known at run time. River
// marshals args with encoding/json, so MarshalJSON hands it the JSON Python
// sent; River then computes unique keys from that encoding exactly as it does
// for Go args. argsOpts carries the args' own insert_opts(), which River
// overrides with the explicit options, as for a Go JobArgsWithInsertOpts.
type dynamicArgs struct {
	kind     string
	encoded  json.RawMessage
	argsOpts river.InsertOpts
}

func (a *dynamicArgs) Kind() string                 { return a.kind }
func (a *dynamicArgs) MarshalJSON() ([]byte, error) { return a.encoded, nil }
func (a *dynamicArgs) InsertOpts() river.InsertOpts { return a.argsOpts }

// insertParamsWire is one job to insert.
type insertParamsWire struct {
	Kind     string          `json:"kind"`
	Args     string          `json:"args"` // JSON text, embedded as sent
	ArgsOpts *insertOptsWire `json:"args_opts"`
	Opts     *insertOptsWire `json:"opts"`
}

// insertOptsWire mirrors river.InsertOpts. Pointers distinguish "not given"
// (River's default applies) from an explicit value, so that an explicit 0 is
// rejected instead of silently meaning "default" as it does in Go.
type insertOptsWire struct {
	MaxAttempts *int            `json:"max_attempts"`
	Metadata    json.RawMessage `json:"metadata"`
	Pending     bool            `json:"pending"`
	Priority    *int            `json:"priority"`
	Queue       *string         `json:"queue"`
	ScheduledAt *int64          `json:"scheduled_at"`
	Tags        []string        `json:"tags"`
	UniqueOpts  *uniqueOptsWire `json:"unique_opts"`
}

type uniqueOptsWire struct {
	ByArgs      bool                 `json:"by_args"`
	ByPeriod    *float64             `json:"by_period"` // seconds
	ByQueue     bool                 `json:"by_queue"`
	ByState     []rivertype.JobState `json:"by_state"`
	ExcludeKind bool                 `json:"exclude_kind"`
}

func (p *insertParamsWire) toRiver() (river.InsertManyParams, error) {
	if p.Kind == "" {
		return river.InsertManyParams{}, apierr.Invalid("kind", "job kind must not be empty")
	}
	if !json.Valid([]byte(p.Args)) {
		return river.InsertManyParams{}, apierr.Invalid("args", "args of kind %q are not valid JSON", p.Kind)
	}
	args := &dynamicArgs{kind: p.Kind, encoded: json.RawMessage(p.Args)}
	if p.ArgsOpts != nil {
		argsOpts, err := p.ArgsOpts.toRiver("insert_opts().")
		if err != nil {
			return river.InsertManyParams{}, err
		}
		args.argsOpts = *argsOpts
	}
	var opts *river.InsertOpts
	if p.Opts != nil {
		var err error
		if opts, err = p.Opts.toRiver("opts."); err != nil {
			return river.InsertManyParams{}, err
		}
	}
	return river.InsertManyParams{Args: args, InsertOpts: opts}, nil
}

// toRiver checks what River itself would take as "unset" (zero values) and
// converts the rest; River validates everything else.
func (o *insertOptsWire) toRiver(paramPrefix string) (*river.InsertOpts, error) {
	opts := &river.InsertOpts{Pending: o.Pending, Tags: o.Tags}
	if o.MaxAttempts != nil {
		if *o.MaxAttempts < 1 {
			return nil, apierr.Invalid(paramPrefix+"max_attempts", "must be at least 1, got %d", *o.MaxAttempts)
		}
		opts.MaxAttempts = *o.MaxAttempts
	}
	if o.Priority != nil {
		if *o.Priority < 1 || *o.Priority > 4 {
			return nil, apierr.Invalid(paramPrefix+"priority", "must be between 1 and 4, got %d", *o.Priority)
		}
		opts.Priority = *o.Priority
	}
	if o.Queue != nil {
		if *o.Queue == "" {
			return nil, apierr.Invalid(paramPrefix+"queue", "must not be empty")
		}
		opts.Queue = *o.Queue
	}
	if o.Metadata != nil {
		if trimmed := bytes.TrimSpace(o.Metadata); len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, apierr.Invalid(paramPrefix+"metadata", "must be a JSON object")
		}
		opts.Metadata = o.Metadata
	}
	if o.ScheduledAt != nil {
		opts.ScheduledAt = fromMicros(*o.ScheduledAt)
	}
	if o.UniqueOpts != nil {
		uniqueOpts, err := o.UniqueOpts.toRiver(paramPrefix + "unique_opts.")
		if err != nil {
			return nil, err
		}
		opts.UniqueOpts = uniqueOpts
	}
	return opts, nil
}

func (u *uniqueOptsWire) toRiver(paramPrefix string) (river.UniqueOpts, error) {
	opts := river.UniqueOpts{ByArgs: u.ByArgs, ByQueue: u.ByQueue, ByState: u.ByState, ExcludeKind: u.ExcludeKind}
	if u.ByPeriod != nil {
		seconds := *u.ByPeriod
		if math.IsNaN(seconds) || seconds < 1 || seconds > math.MaxInt64/float64(time.Second) {
			return opts, apierr.Invalid(paramPrefix+"by_period", "must be at least 1 second, got %v seconds", seconds)
		}
		opts.ByPeriod = time.Duration(seconds * float64(time.Second))
	}
	return opts, nil
}

// paramForRiverError names the insert option a River validation error is
// about. River reports these as plain errors whose text names the option; the
// mapping lets Python raise an exception that names the parameter.
func paramForRiverError(err error) string {
	message := err.Error()
	for _, candidate := range []struct{ fragment, param string }{
		{"UniqueOpts.ByState", "opts.unique_opts.by_state"},
		{"UniqueOpts.ByPeriod", "opts.unique_opts.by_period"},
		{"UniqueOpts", "opts.unique_opts"},
		{"priority", "opts.priority"},
		{"tags", "opts.tags"},
		{"queue", "opts.queue"},
		{"marshaling args", "args"},
	} {
		if strings.Contains(message, candidate.fragment) {
			return candidate.param
		}
	}
	return "opts"
}
