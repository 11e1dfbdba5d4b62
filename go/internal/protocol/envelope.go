package protocol

import "github.com/pyriver/pyriver/go/internal/apierr"

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
