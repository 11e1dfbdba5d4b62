package protocol

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivershared/util/sliceutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// InsertManyRequest inserts jobs (job.insert_many, job.insert_many_fast).
type InsertManyRequest struct {
	Scope
	Jobs []InsertParams `json:"jobs"`
	// Prepare asks for the parameters River fills in, writing nothing; the
	// first half of an insert through Python's insert middleware.
	Prepare bool `json:"prepare"`
	// Overrides, if set, replace River's filled parameters (the second half).
	Overrides []FilledParams `json:"overrides"`
	// SetMetadata are top-level keys written into every job's metadata after
	// River filled it in, where a Go insert middleware such as otelriver
	// writes trace context (see insertmw.SetMetadata).
	SetMetadata map[string]string `json:"set_metadata"`
}

// InsertParams is one job to insert.
type InsertParams struct {
	Kind string `json:"kind"`
	Args string `json:"args"` // JSON text, embedded as sent
	// UniqueArgs, for args with fields marked unique, is the JSON object of
	// those fields that Go's River builds for a struct with `river:"unique"`
	// tags; River keys unique-by-args on it instead of on all of Args.
	UniqueArgs string      `json:"unique_args,omitempty"`
	ArgsOpts   *InsertOpts `json:"args_opts"`
	Opts       *InsertOpts `json:"opts"`
}

// InsertOpts mirrors river.InsertOpts. Pointers distinguish "not given"
// (River's default applies) from an explicit value, so that an explicit 0 is
// rejected instead of silently meaning "default" as it does in Go.
type InsertOpts struct {
	MaxAttempts   *int            `json:"max_attempts"`
	Metadata      json.RawMessage `json:"metadata"`
	Pending       bool            `json:"pending"`
	Priority      *int            `json:"priority"`
	Queue         *string         `json:"queue"`
	ScheduledAtUs *int64          `json:"scheduled_at_us"`
	Tags          []string        `json:"tags"`
	UniqueOpts    *UniqueOpts     `json:"unique_opts"`
}

// UniqueOpts mirrors river.UniqueOpts.
type UniqueOpts struct {
	ByArgs          bool                 `json:"by_args"`
	ByPeriodSeconds *float64             `json:"by_period_seconds"`
	ByQueue         bool                 `json:"by_queue"`
	ByState         []rivertype.JobState `json:"by_state"`
	ExcludeKind     bool                 `json:"exclude_kind"`
}

// Params converts the jobs to River's parameters, checking them by River's
// rules first so that a rejected value names its parameter.
func (req *InsertManyRequest) Params() ([]river.InsertManyParams, error) {
	if len(req.Jobs) == 0 {
		return nil, apierr.Invalid("jobs", "no jobs to insert")
	}
	return sliceutil.MapError(req.Jobs, func(job InsertParams) (river.InsertManyParams, error) { return job.River() })
}

// OverrideParams are the middleware's replacements for River's filled
// parameters, checked as River checked the originals.
func (req *InsertManyRequest) OverrideParams() ([]*rivertype.JobInsertParams, error) {
	return sliceutil.MapError(req.Overrides, func(override FilledParams) (*rivertype.JobInsertParams, error) {
		if err := override.validate(); err != nil {
			return nil, err
		}
		return override.river(), nil
	})
}

// dynamicArgs is a job's args whose kind is only known at run time. River
// marshals args with encoding/json, so MarshalJSON hands it the JSON Python
// sent; River then computes unique keys from that encoding exactly as it does
// for Go args. argsOpts carries the args' own insert_opts(), which River
// overrides with the explicit options, as for a Go JobArgsWithInsertOpts.
//
// River finds a Go struct's unique fields by reflection, which args known
// only at run time cannot offer. For args with fields marked unique,
// MarshalJSON therefore hands River only those fields (uniqueArgs), River
// keys on them, and insertmw.FullArgs puts the whole args back before
// anything is written.
type dynamicArgs struct {
	kind       string
	encoded    json.RawMessage
	uniqueArgs json.RawMessage
	argsOpts   river.InsertOpts
}

func (a *dynamicArgs) Kind() string { return a.kind }

func (a *dynamicArgs) MarshalJSON() ([]byte, error) {
	if a.uniqueArgs != nil {
		return a.uniqueArgs, nil
	}
	return a.encoded, nil
}

func (a *dynamicArgs) InsertOpts() river.InsertOpts { return a.argsOpts }

// FullArgs returns the whole args when River was given only their unique
// fields, as River would have encoded them.
func (a *dynamicArgs) FullArgs() ([]byte, bool, error) {
	if a.uniqueArgs == nil {
		return nil, false, nil
	}
	encoded, err := json.Marshal(a.encoded)
	return encoded, true, err
}

// River converts one job to River's parameters.
func (p *InsertParams) River() (river.InsertManyParams, error) {
	if err := checkKind("kind", p.Kind); err != nil {
		return river.InsertManyParams{}, err
	}
	if !json.Valid([]byte(p.Args)) {
		return river.InsertManyParams{}, apierr.Invalid("args", "args of kind %q are not valid JSON", p.Kind)
	}
	args := &dynamicArgs{kind: p.Kind, encoded: json.RawMessage(p.Args)}
	if p.UniqueArgs != "" {
		if !isJSONObject(json.RawMessage(p.UniqueArgs)) {
			return river.InsertManyParams{}, apierr.Invalid("args", "unique fields of kind %q are not a JSON object", p.Kind)
		}
		args.uniqueArgs = json.RawMessage(p.UniqueArgs)
	}
	if p.ArgsOpts != nil {
		argsOpts, err := p.ArgsOpts.river("insert_opts().")
		if err != nil {
			return river.InsertManyParams{}, err
		}
		args.argsOpts = *argsOpts
	}
	var opts *river.InsertOpts
	if p.Opts != nil {
		var err error
		if opts, err = p.Opts.river("opts."); err != nil {
			return river.InsertManyParams{}, err
		}
	}
	if err := checkMerged(&args.argsOpts, opts); err != nil {
		return river.InsertManyParams{}, err
	}
	return river.InsertManyParams{Args: args, InsertOpts: opts}, nil
}

// checkMerged applies River's rules to the options River will use: an
// explicit option wins over the args' own, as in River's insert.
func checkMerged(argsOpts, opts *river.InsertOpts) error {
	if opts == nil {
		opts = &river.InsertOpts{}
	}
	queue, queueParam := cmp.Or(opts.Queue, argsOpts.Queue), "opts.queue"
	if opts.Queue == "" {
		queueParam = "insert_opts().queue"
	}
	if queue != "" {
		if err := checkQueueName(queueParam, queue); err != nil {
			return err
		}
	}
	tags, tagsParam := opts.Tags, "opts.tags"
	if tags == nil {
		tags, tagsParam = argsOpts.Tags, "insert_opts().tags"
	}
	if err := checkTags(tagsParam, tags); err != nil {
		return err
	}
	unique, uniqueParam := opts.UniqueOpts, "opts.unique_opts"
	if isEmptyUnique(unique) {
		unique, uniqueParam = argsOpts.UniqueOpts, "insert_opts().unique_opts"
	}
	return checkUniqueOpts(uniqueParam, &unique)
}

// river checks what River itself would take as "unset" (zero values) and
// converts the rest; checkMerged applies River's other rules.
func (o *InsertOpts) river(paramPrefix string) (*river.InsertOpts, error) {
	opts := &river.InsertOpts{Pending: o.Pending, Tags: o.Tags}
	if o.MaxAttempts != nil {
		if err := checkMaxAttempts(paramPrefix+"max_attempts", *o.MaxAttempts); err != nil {
			return nil, err
		}
		opts.MaxAttempts = *o.MaxAttempts
	}
	if o.Priority != nil {
		if err := checkPriority(paramPrefix+"priority", *o.Priority); err != nil {
			return nil, err
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
		if !isJSONObject(o.Metadata) {
			return nil, apierr.Invalid(paramPrefix+"metadata", "must be a JSON object")
		}
		opts.Metadata = o.Metadata
	}
	if o.ScheduledAtUs != nil {
		opts.ScheduledAt = FromMicros(*o.ScheduledAtUs)
	}
	if o.UniqueOpts != nil {
		uniqueOpts, err := o.UniqueOpts.river(paramPrefix + "unique_opts.")
		if err != nil {
			return nil, err
		}
		opts.UniqueOpts = uniqueOpts
	}
	return opts, nil
}

func (u *UniqueOpts) river(paramPrefix string) (river.UniqueOpts, error) {
	opts := river.UniqueOpts{ByArgs: u.ByArgs, ByQueue: u.ByQueue, ByState: u.ByState, ExcludeKind: u.ExcludeKind}
	if u.ByPeriodSeconds != nil {
		seconds := *u.ByPeriodSeconds
		if !(seconds >= 1) { // also NaN
			return opts, apierr.Invalid(paramPrefix+"by_period", "must be at least 1 second, got %v seconds", seconds)
		}
		opts.ByPeriod = Duration(seconds)
	}
	return opts, nil
}

// isJSONObject reports whether raw is a JSON object (River's metadata).
func isJSONObject(raw json.RawMessage) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed)
}

// FilledParams is rivertype.JobInsertParams as River filled them, for
// Python's insert middleware to read and change.
type FilledParams struct {
	Kind          string             `json:"kind"`
	EncodedArgs   string             `json:"encoded_args"`
	MaxAttempts   int                `json:"max_attempts"`
	Metadata      string             `json:"metadata"`
	Priority      int                `json:"priority"`
	Queue         string             `json:"queue"`
	ScheduledAtUs *int64             `json:"scheduled_at_us"`
	State         rivertype.JobState `json:"state"`
	Tags          []string           `json:"tags"`
	UniqueKey     []byte             `json:"unique_key"`
	UniqueStates  byte               `json:"unique_states"`
}

// NewFilledParams encodes River's filled parameters.
func NewFilledParams(params []*rivertype.JobInsertParams) []FilledParams {
	return sliceutil.Map(params, func(p *rivertype.JobInsertParams) FilledParams {
		return FilledParams{
			Kind: p.Kind, EncodedArgs: string(p.EncodedArgs), MaxAttempts: p.MaxAttempts,
			Metadata: string(p.Metadata), Priority: p.Priority, Queue: p.Queue,
			ScheduledAtUs: MicrosPtr(p.ScheduledAt), State: p.State, Tags: p.Tags,
			UniqueKey: p.UniqueKey, UniqueStates: p.UniqueStates,
		}
	})
}

// validate checks what River checked before the middleware changed it.
func (p *FilledParams) validate() error {
	switch {
	case p.Kind == "":
		return apierr.Invalid("params.kind", "must not be empty")
	case !json.Valid([]byte(p.EncodedArgs)):
		return apierr.Invalid("params.encoded_args", "must be valid JSON")
	case !json.Valid([]byte(p.Metadata)):
		return apierr.Invalid("params.metadata", "must be valid JSON")
	case !slices.Contains(rivertype.JobStates(), p.State):
		return apierr.Invalid("params.state", "unknown job state %q", p.State)
	}
	if err := checkMaxAttempts("params.max_attempts", p.MaxAttempts); err != nil {
		return err
	}
	if err := checkPriority("params.priority", p.Priority); err != nil {
		return err
	}
	if err := checkQueueName("params.queue", p.Queue); err != nil {
		return err
	}
	return checkTags("params.tags", p.Tags)
}

func (p *FilledParams) river() *rivertype.JobInsertParams {
	return &rivertype.JobInsertParams{
		Kind: p.Kind, EncodedArgs: []byte(p.EncodedArgs), MaxAttempts: p.MaxAttempts, Metadata: []byte(p.Metadata),
		Priority: p.Priority, Queue: p.Queue, State: p.State, Tags: p.Tags, ScheduledAt: FromMicrosPtr(p.ScheduledAtUs),
	}
}

// InsertManySendRequest queues one chunk of a large insert_many in a
// transaction (job.insert_many_send). Jobs stay raw: they are decoded on the
// goroutine that inserts them, not on the calling thread, which goes back to
// Python to encode the next chunk.
type InsertManySendRequest struct {
	Scope
	Jobs json.RawMessage `json:"jobs"`
	Fast bool            `json:"fast"` // by InsertManyFast, counting the rows
}

// InsertResultChunks are the results of the chunks sent with
// job.insert_many_send, each chunk's InsertResults (or count) encoded when
// River returned them: Go keeps a large batch's rows as compact JSON, not as
// JobRows, until Python receives them.
type InsertResultChunks [][]byte

// AppendJSON writes the chunks as a list.
func (chunks InsertResultChunks) AppendJSON(out []byte) []byte {
	if chunks == nil {
		chunks = InsertResultChunks{}
	}
	return appendList(out, chunks, func(out []byte, chunk []byte) []byte { return append(out, chunk...) })
}
