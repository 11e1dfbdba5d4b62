// Package insertmw lets Python's JobInsertMiddleware see and change the
// parameters River fills in for an insert, without Go calling Python.
//
// An insert with Python middleware runs twice through River's own insert
// path. The first run captures the filled JobInsertParams and stops before
// anything is written; Python runs its middleware on them; the second run
// overwrites River's freshly filled parameters with Python's version and
// inserts. River itself runs this middleware on every insert; without a mode
// in the context it only passes through.
package insertmw

import (
	"context"
	"errors"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// ErrCaptured ends a capture run; nothing was written.
var ErrCaptured = errors.New("pyriver: insert parameters captured")

type contextKey struct{}

type mode struct {
	captured  *[]*rivertype.JobInsertParams
	overrides []*rivertype.JobInsertParams
}

// WithCapture returns a context whose insert stops after River filled the
// parameters, and a function returning them.
func WithCapture(ctx context.Context) (context.Context, func() []*rivertype.JobInsertParams) {
	captured := &[]*rivertype.JobInsertParams{}
	return context.WithValue(ctx, contextKey{}, &mode{captured: captured}), func() []*rivertype.JobInsertParams { return *captured }
}

// WithOverrides returns a context whose insert uses these parameters, one
// per job, in place of those River filled.
func WithOverrides(ctx context.Context, overrides []*rivertype.JobInsertParams) context.Context {
	return context.WithValue(ctx, contextKey{}, &mode{overrides: overrides})
}

// Middleware is the River JobInsertMiddleware behind both modes.
type Middleware struct{ river.MiddlewareDefaults }

func (*Middleware) InsertMany(ctx context.Context, manyParams []*rivertype.JobInsertParams, doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	current, ok := ctx.Value(contextKey{}).(*mode)
	switch {
	case !ok:
		return doInner(ctx)
	case current.captured != nil:
		*current.captured = manyParams
		return nil, ErrCaptured
	case len(current.overrides) != len(manyParams):
		return nil, apierr.Invalid("params", "insert middleware must keep the number of jobs: %d in, %d out", len(manyParams), len(current.overrides))
	default:
		for i, override := range current.overrides {
			params := manyParams[i]
			params.Kind = override.Kind
			params.EncodedArgs = override.EncodedArgs
			params.MaxAttempts = override.MaxAttempts
			params.Metadata = override.Metadata
			params.Priority = override.Priority
			params.Queue = override.Queue
			params.ScheduledAt = override.ScheduledAt
			params.State = override.State
			params.Tags = override.Tags
		}
		return doInner(ctx)
	}
}
