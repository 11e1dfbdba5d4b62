package protocol

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// River's own rules for insert options, applied before River sees them.
//
// River reports a rejected option as an untyped error whose only clue is its
// text. Applying the same rules first lets pyriver name the parameter without
// reading River's messages; river_rules_test.go feeds every rule's cases to
// River itself, so a River upgrade that changes a rule fails the test rather
// than silently disagreeing. Anything River still rejects after these checks
// surfaces as an internal error carrying River's own text.
var (
	// River's queue names (validateQueueName in River's client.go).
	queueNameRE = regexp.MustCompile(`^(?:[a-z0-9])+(?:[_|\-]?[a-z0-9]+)*$`)
	// River's job kinds, which River checks when a worker is registered
	// (rivercommon.UserSpecifiedIDOrKindRE); pyriver checks inserts too, so a
	// kind no worker could ever have is refused when it is inserted.
	kindRE = regexp.MustCompile(`\A[\w][\w\-\[\]<>\/.·:+]+\z`)
	// River's tags (tagRE in River's insert_opts.go).
	tagRE = regexp.MustCompile(`\A[\w][\w\-]+[\w]\z`)
	// The states River requires in UniqueOpts.ByState (requiredV3states).
	requiredUniqueStates = []rivertype.JobState{ //nolint:gochecknoglobals // read-only
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}
)

const (
	maxQueueNameLength = 64
	maxTagLength       = 255
)

// checkMaxAttempts applies River's rule (at least one attempt) and the
// database's: River's PostgreSQL column is a smallint, so a larger value
// would be stored differently on the two databases.
func checkMaxAttempts(param string, maxAttempts int) error {
	if maxAttempts < 1 || maxAttempts > math.MaxInt16 {
		return apierr.Invalid(param, "must be between 1 and %d, got %d", math.MaxInt16, maxAttempts)
	}
	return nil
}

// checkKind applies River's rule for job kinds.
func checkKind(param, kind string) error {
	if !kindRE.MatchString(kind) {
		return apierr.Invalid(param, "job kind %q is not one River can work: it must be at least 2 characters, "+
			"letters, digits and _ first, then also - [ ] < > / . · : +", kind)
	}
	return nil
}

func checkPriority(param string, priority int) error {
	if priority < 1 || priority > 4 {
		return apierr.Invalid(param, "must be between 1 and 4, got %d", priority)
	}
	return nil
}

func checkQueueName(param, queue string) error {
	switch {
	case queue == "":
		return apierr.Invalid(param, "must not be empty")
	case len(queue) > maxQueueNameLength:
		return apierr.Invalid(param, "must be at most %d characters, got %d", maxQueueNameLength, len(queue))
	case !queueNameRE.MatchString(queue):
		return apierr.Invalid(param, "%q is not a River queue name: lowercase letters and digits, separated by single underscores or hyphens", queue)
	}
	return nil
}

func checkTags(param string, tags []string) error {
	for _, tag := range tags {
		if len(tag) > maxTagLength {
			return apierr.Invalid(param, "each tag must be at most %d characters, got %d", maxTagLength, len(tag))
		}
		if !tagRE.MatchString(tag) {
			return apierr.Invalid(param, "tag %q must match %s (letters, digits, underscores and hyphens, at least 3 characters)", tag, tagRE)
		}
	}
	return nil
}

func isEmptyUnique(opts river.UniqueOpts) bool {
	return !opts.ByArgs && opts.ByPeriod == 0 && !opts.ByQueue && opts.ByState == nil && !opts.ExcludeKind
}

func checkUniqueOpts(param string, opts *river.UniqueOpts) error {
	if isEmptyUnique(*opts) {
		return nil
	}
	if opts.ByPeriod != 0 && opts.ByPeriod < time.Second {
		return apierr.Invalid(param+".by_period", "must be at least 1 second, got %s", opts.ByPeriod)
	}
	if opts.ExcludeKind && !opts.ByArgs && !opts.ByQueue && opts.ByPeriod == 0 {
		return apierr.Invalid(param, "exclude_kind needs by_args, by_queue or by_period as well")
	}
	for _, state := range opts.ByState {
		if !slices.Contains(rivertype.JobStates(), state) {
			return apierr.Invalid(param+".by_state", "unknown job state %q", state)
		}
	}
	if len(opts.ByState) == 0 {
		return nil
	}
	var missing []string
	for _, state := range requiredUniqueStates {
		if !slices.Contains(opts.ByState, state) {
			missing = append(missing, string(state))
		}
	}
	if len(missing) > 0 {
		return apierr.Invalid(param+".by_state", "must include the states River always keeps unique; missing %s", strings.Join(missing, ", "))
	}
	return nil
}
