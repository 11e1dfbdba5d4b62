// Package apierr defines the errors that cross the C boundary. Each carries a
// stable code that the Python side maps onto one exception class, so Python
// never has to parse a message to know what went wrong.
package apierr

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"modernc.org/sqlite"

	"github.com/pyriver/pyriver/go/internal/appconn"
)

// Code names a class of failure. The values are part of the wire protocol.
type Code string

const (
	// InvalidArgument: the caller passed a value River or pyriver rejects.
	// Nothing was written.
	InvalidArgument Code = "invalid_argument"
	// NotFound mirrors River's ErrNotFound.
	NotFound Code = "not_found"
	// JobRunning mirrors River's rivertype.ErrJobRunning.
	JobRunning Code = "job_running"
	// Database: the database could not be reached or refused a statement.
	Database Code = "database"
	// Closed: the handle names a client or transaction that was closed.
	Closed Code = "closed"
	// InvalidState: the client cannot do this now (it is already started,
	// or has no workers to start). Nothing was changed.
	InvalidState Code = "invalid_state"
	// UnknownMethod: Python asked for a method this library does not have,
	// which means the Python and Go halves come from different builds.
	UnknownMethod Code = "unknown_method"
	// Internal: a bug in pyriver, including recovered panics.
	Internal Code = "internal"
)

// Codes lists every code, for the contract's description.
var Codes = []Code{InvalidArgument, NotFound, JobRunning, Database, Closed, InvalidState, UnknownMethod, Internal} //nolint:gochecknoglobals // read-only, reported by library.describe

// Error is an error with a wire code and, for invalid input, the name of the
// offending parameter.
type Error struct {
	Code    Code
	Message string
	Param   string
}

func (e *Error) Error() string { return e.Message }

// Invalid reports a rejected value of the named parameter.
func Invalid(param, format string, args ...any) *Error {
	return &Error{Code: InvalidArgument, Param: param, Message: prefixed(param, fmt.Sprintf(format, args...))}
}

// New builds an error of any code.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Classify turns any error into a wire error by its type: pyriver's own
// errors keep their code, River's sentinel errors map to theirs, errors of
// the database, its driver or the network are Database errors. Anything else
// is unexpected and reported as Internal with its original text: River's
// validation errors are untyped, so pyriver checks River's rules before
// calling River (package protocol) rather than reading River's messages.
func Classify(err error) *Error {
	var apiErr *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &apiErr):
		return apiErr
	case errors.Is(err, river.ErrNotFound):
		return &Error{Code: NotFound, Message: err.Error()}
	case errors.Is(err, rivertype.ErrJobRunning):
		return &Error{Code: JobRunning, Message: err.Error()}
	case IsDatabase(err):
		return &Error{Code: Database, Message: DatabaseMessage(err)}
	default:
		return &Error{Code: Internal, Message: err.Error()}
	}
}

// As gives an error from a call whose only non-database failures have one
// known meaning (River's NewClient refusing a configuration, Start refusing
// a client that cannot work) that meaning's code, naming param. Errors of
// the database and pyriver's own keep their classification.
func As(err error, code Code, param string) *Error {
	classified := Classify(err)
	if classified.Code != Internal {
		return classified
	}
	return &Error{Code: code, Param: param, Message: prefixed(param, err.Error())}
}

// Naming says what was not found: River's ErrNotFound names nothing.
func Naming(err error, format string, args ...any) error {
	if errors.Is(err, river.ErrNotFound) {
		return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
	}
	return err
}

func prefixed(param, message string) string {
	if param == "" {
		return message
	}
	return param + ": " + message
}

// IsDatabase reports whether err came from the database, its driver or the
// network rather than from River's validation of the input.
func IsDatabase(err error) bool {
	var (
		pgErr      *pgconn.PgError
		connectErr *pgconn.ConnectError
		netErr     net.Error
		sqliteErr  *sqlite.Error
		appErr     *appconn.DatabaseError
	)
	return errors.As(err, &pgErr) ||
		errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		errors.As(err, &sqliteErr) ||
		errors.As(err, &appErr) ||
		pgconn.SafeToRetry(err) ||
		pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled)
}
