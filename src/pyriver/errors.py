"""pyriver's exceptions.

Every exception pyriver raises derives from :class:`PyRiverError`. The Go side
reports failures with a stable code; :func:`error_from_wire` maps each code to
one class here, so callers catch by class and never parse messages.
"""

from __future__ import annotations

from typing import Any


class PyRiverError(Exception):
    """Base class of every pyriver error."""


class InvalidArgumentError(PyRiverError, ValueError):
    """A value River or pyriver rejects. Nothing was written.

    ``param`` names the offending parameter (``"priority"``,
    ``"unique_opts.by_period"``, ...).
    """

    def __init__(self, message: str, param: str = "") -> None:
        super().__init__(message)
        self.param = param


class InvalidArgumentTypeError(PyRiverError, TypeError):
    """A parameter of the wrong type, such as args that cannot be encoded as
    JSON. Nothing was written. ``param`` names the parameter."""

    def __init__(self, message: str, param: str = "") -> None:
        super().__init__(message)
        self.param = param


class NotFoundError(PyRiverError, LookupError):
    """No such job or queue: River's ``ErrNotFound``. ``id`` is the job's id
    or ``name`` the queue's name that was asked for."""

    id: int | None = None
    name: str | None = None


class JobRunningError(PyRiverError):
    """The job is running and cannot be changed: River's ``ErrJobRunning``."""


class DatabaseError(PyRiverError):
    """The database could not be reached or refused a statement."""


class ClientClosedError(PyRiverError):
    """The client (or transaction) was used after it was closed."""


class ClientStateError(PyRiverError, RuntimeError):
    """The client cannot do this now: it is already started, or has no
    workers to run. Nothing was changed."""


class ForkedProcessError(PyRiverError):
    """pyriver was used in a process forked after it loaded its Go library.

    The Go runtime does not survive ``fork()``: create clients after forking
    (multiprocessing's "spawn" or "forkserver" start methods, gunicorn without
    ``--preload``).
    """


class InternalError(PyRiverError):
    """A bug in pyriver, including a recovered Go panic. Please report it."""


_ERRORS_BY_CODE: dict[str, type[PyRiverError]] = {
    "invalid_argument": InvalidArgumentError,
    "not_found": NotFoundError,
    "job_running": JobRunningError,
    "database": DatabaseError,
    "closed": ClientClosedError,
    "invalid_state": ClientStateError,
    "unknown_method": InternalError,
    "internal": InternalError,
}


def error_from_wire(error: dict[str, Any]) -> PyRiverError:
    """Build the exception for an error envelope sent by the Go side."""
    cls = _ERRORS_BY_CODE.get(error.get("code", ""), InternalError)
    message = error.get("message", "unknown error")
    if cls is InvalidArgumentError:
        return InvalidArgumentError(message, error.get("param", ""))
    return cls(message)
