// Package rpc is the request/response layer behind the C ABI: it routes a
// method name to its handler, decodes the JSON request, and encodes the result
// or error into the envelope Python reads. It is kept apart from package main
// so that it can be tested with plain `go test`.
package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"runtime/debug"
	"slices"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
)

// Handler serves one method. The request is the raw JSON the caller sent.
type Handler func(ctx context.Context, request json.RawMessage) (any, error)

var methods = map[string]Handler{} //nolint:gochecknoglobals // the method table, filled by init functions

// Register adds a method. It is called from init functions only.
func Register(name string, handler Handler) {
	if _, exists := methods[name]; exists {
		panic("rpc: method registered twice: " + name)
	}
	methods[name] = handler
}

// Typed adapts a handler taking a decoded request struct. Unknown fields are
// rejected so that a Python/Go mismatch is reported instead of ignored.
func Typed[Req any, Resp any](fn func(ctx context.Context, req *Req) (Resp, error)) Handler {
	// {} decodes to a struct's zero value: skipping the decoder's
	// allocations for it (requests of methods without parameters) took an
	// empty call's Go side from 1.16 µs to 0.23.
	emptyIsZero := reflect.TypeFor[Req]().Kind() == reflect.Struct
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		req := new(Req)
		if emptyIsZero && string(raw) == "{}" {
			return fn(ctx, req)
		}
		if err := Decode(raw, req); err != nil {
			return nil, apierr.Invalid("request", "malformed request: %v", err)
		}
		return fn(ctx, req)
	}
}

// Decode reads JSON from Python into value as every request is read:
// numbers kept exact (json.Number), unknown fields rejected.
func Decode(raw []byte, value any) error {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.DisallowUnknownFields()
	decoder.UseNumber()
	return decoder.Decode(value)
}

// Methods lists the registered methods, sorted.
func Methods() []string { return slices.Sorted(maps.Keys(methods)) }

// Call runs a method and always returns an envelope, never panics: a panic in
// a handler is recovered and reported as an internal error with its stack.
func Call(method string, request []byte) []byte {
	ctx, done, interrupted := contextForThisThread()
	defer done()
	response := CallContext(ctx, method, request)
	if interrupted() && bytes.HasPrefix(response, []byte(`{"error"`)) {
		return encodeError(apierr.New(apierr.Database, "interrupted by Ctrl-C (SIGINT) before it finished; it may or may not have taken effect"))
	}
	return response
}

// CallContext is Call with a context, for methods run on behalf of another
// (an operation on the application's connection carries its transaction).
func CallContext(ctx context.Context, method string, request []byte) (response []byte) {
	defer func() {
		if recovered := recover(); recovered != nil {
			response = encodeError(apierr.New(apierr.Internal, "pyriver: Go panic in %s: %v\n%s", method, recovered, debug.Stack()))
		}
	}()

	handler, ok := methods[method]
	if !ok {
		return encodeError(apierr.New(apierr.UnknownMethod, "unknown method %q", method))
	}
	result, err := handler(ctx, request)
	if err != nil {
		return encodeError(apierr.Classify(err))
	}

	if appender, ok := result.(protocol.JSONAppender); ok {
		return append(appender.AppendJSON(append(make([]byte, 0, 4096), `{"result":`...)), '}')
	}
	if out, ok := protocol.AppendScalarEnvelope(make([]byte, 0, 32), result); ok {
		return out
	}
	out, err := json.Marshal(protocol.Envelope{Result: result})
	if err != nil {
		return encodeError(apierr.New(apierr.Internal, "pyriver: cannot encode the response of %s: %v", method, fmt.Sprint(err)))
	}
	return out
}

func encodeError(err *apierr.Error) []byte {
	out, _ := json.Marshal(protocol.Envelope{Error: protocol.NewError(err)}) //nolint:errchkjson // strings always marshal
	return out
}
