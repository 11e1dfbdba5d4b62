package protocol

import (
	"strconv"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// Envelope is every response: a result or an error, never both.
type Envelope struct {
	Result any    `json:"result,omitempty"`
	Error  *Error `json:"error,omitempty"`
}

// Error is an error as Python reads it: a stable code that maps to one
// exception class, the message, and the offending parameter of invalid
// input.
type Error struct {
	Code    apierr.Code `json:"code"`
	Message string      `json:"message"`
	Param   string      `json:"param,omitempty"`
}

// NewError encodes an error.
func NewError(err *apierr.Error) *Error {
	return &Error{Code: err.Code, Message: err.Message, Param: err.Param}
}

// AppendScalarEnvelope writes the envelope of a result that is nil, a bool,
// an integer or a string exactly as encoding/json writes Envelope{Result:
// result}, without its reflection: most methods answer so (a handle, a
// count, done), and json.Marshal was a fifth of an empty call's Go side.
// It reports false, writing nothing, for any other result.
func AppendScalarEnvelope(out []byte, result any) ([]byte, bool) {
	const open = `{"result":`
	switch value := result.(type) {
	case nil:
		out = append(out, "{}"...)
	case bool:
		out = append(strconv.AppendBool(append(out, open...), value), '}')
	case int:
		out = append(strconv.AppendInt(append(out, open...), int64(value), 10), '}')
	case int64:
		out = append(strconv.AppendInt(append(out, open...), value, 10), '}')
	case uint64:
		out = append(strconv.AppendUint(append(out, open...), value, 10), '}')
	case string:
		out = append(appendString(append(out, open...), value), '}')
	default:
		return out, false
	}
	return out, true
}
