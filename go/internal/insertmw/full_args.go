package insertmw

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// argsWithUniqueFields is args that gave River only their unique fields to
// key on (protocol's run-time args with fields marked unique).
type argsWithUniqueFields interface {
	FullArgs() (encoded []byte, replaced bool, err error)
}

// FullArgs is the River insert middleware that puts back the whole args of
// jobs River keyed on their unique fields only. River runs middleware after
// computing unique keys and before any write, on every insert path (single,
// many, fast, in transactions, periodic), so the row always holds the full
// args. It must come before Middleware, so that Python's middleware sees
// them too.
type FullArgs struct{ river.MiddlewareDefaults }

func (*FullArgs) InsertMany(ctx context.Context, manyParams []*rivertype.JobInsertParams, doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	for _, params := range manyParams {
		args, ok := params.Args.(argsWithUniqueFields)
		if !ok {
			continue
		}
		encoded, replaced, err := args.FullArgs()
		if err != nil {
			return nil, err
		}
		if replaced {
			params.EncodedArgs = encoded
		}
	}
	return doInner(ctx)
}
