package insertmw

import (
	"context"
	"encoding/json"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

type setMetadataKey struct{}

// WithMetadata returns a context whose insert writes these top-level keys
// into every job's metadata.
func WithMetadata(ctx context.Context, values map[string]string) context.Context {
	if len(values) == 0 {
		return ctx
	}
	return context.WithValue(ctx, setMetadataKey{}, values)
}

// SetMetadata is the River insert middleware that writes the keys of
// WithMetadata into each job's metadata once River (and Python's insert
// middleware, through Middleware) filled it in: the place and the moment
// otelriver injects W3C trace context in a Go client. River runs it on
// every insert path, InsertManyFast and the application's transactions
// included. It must come after Middleware.
type SetMetadata struct{ river.MiddlewareDefaults }

func (*SetMetadata) InsertMany(ctx context.Context, manyParams []*rivertype.JobInsertParams, doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	values, ok := ctx.Value(setMetadataKey{}).(map[string]string)
	if !ok {
		return doInner(ctx)
	}
	for _, params := range manyParams {
		params.Metadata = withKeys(params.Metadata, values)
	}
	return doInner(ctx)
}

// withKeys is metadata with the keys set; metadata that is not a JSON object
// (which only a Python insert middleware could have made) is left as it is,
// as otelriver leaves it: tracing never fails an insert.
func withKeys(metadata []byte, values map[string]string) []byte {
	object := map[string]json.RawMessage{}
	if len(metadata) > 0 && json.Unmarshal(metadata, &object) != nil {
		return metadata
	}
	for key, value := range values {
		encoded, _ := json.Marshal(value) //nolint:errchkjson // a string always encodes
		object[key] = encoded
	}
	encoded, _ := json.Marshal(object) //nolint:errchkjson // raw messages decoded from JSON always encode
	return encoded
}
