package rpc

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pyriver/pyriver/go/internal/protocol"
)

type echoRequest struct {
	Value int `json:"value"`
}

func init() {
	Register("test.echo", Typed(func(_ context.Context, req *echoRequest) (int, error) { return req.Value, nil }))
	Register("test.list", Typed(func(_ context.Context, req *[]int) (int, error) { return len(*req), nil }))
	Register("test.panic", Typed(func(context.Context, *echoRequest) (int, error) { panic("boom") }))
}

// wireResponse is the envelope as Python reads it.
type wireResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *protocol.Error `json:"error"`
}

func decode(t *testing.T, response []byte) wireResponse {
	t.Helper()
	var env wireResponse
	if err := json.Unmarshal(response, &env); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, response)
	}
	return env
}

func TestCallReturnsResult(t *testing.T) {
	env := decode(t, Call("test.echo", []byte(`{"value": 41}`)))
	if env.Error != nil || string(env.Result) != "41" {
		t.Fatalf("unexpected response: %+v", env)
	}
}

// An empty request skips the decoder: it must still mean what decoding it
// means, the zero struct, and still be refused where a list is expected.
func TestEmptyRequestsDecodeAsTheDecoderWould(t *testing.T) {
	if env := decode(t, Call("test.echo", []byte(`{}`))); env.Error != nil || string(env.Result) != "0" {
		t.Fatalf("{} should be the zero request: %+v", env)
	}
	if env := decode(t, Call("test.list", []byte(`{}`))); env.Error == nil || env.Error.Code != "invalid_argument" {
		t.Fatalf("{} is not a list: %+v", env)
	}
}

func TestCallRecoversPanics(t *testing.T) {
	env := decode(t, Call("test.panic", []byte(`{}`)))
	if env.Error == nil || env.Error.Code != "internal" || !strings.Contains(env.Error.Message, "boom") {
		t.Fatalf("panic not reported as internal error: %+v", env)
	}
}

func TestCallRejectsUnknownMethodsAndFields(t *testing.T) {
	if env := decode(t, Call("no.such.method", []byte(`{}`))); env.Error == nil || env.Error.Code != "unknown_method" {
		t.Fatalf("unknown method not reported: %+v", env)
	}
	env := decode(t, Call("test.echo", []byte(`{"value": 1, "surprise": true}`)))
	if env.Error == nil || env.Error.Code != "invalid_argument" || env.Error.Param != "request" {
		t.Fatalf("unknown field not rejected: %+v", env)
	}
}
