"""pyriver: River, the Go job queue for PostgreSQL and SQLite, from Python.

pyriver runs the real River client (github.com/riverqueue/river) in a Go
library loaded into the process, so jobs behave exactly as they do for Go
programs sharing the same database.
"""

import contextlib
import os
from collections.abc import Iterator

from .aio import AsyncAppConnection, AsyncClient, AsyncTransaction
from .app_connection import AppConnection
from .client import Client
from .errors import (
    ClientClosedError,
    ClientStateError,
    DatabaseError,
    ForkedProcessError,
    InternalError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    JobRunningError,
    NotFoundError,
    PyRiverError,
)
from .events import Event, EventKind, JobStatistics, Subscription
from .periodic import PeriodicJob, PeriodicJobBundle
from .insert_middleware import InsertBatch, InsertWrapper, JobInsertMiddleware
from .options import DataclassJobArgs, InsertManyParams, InsertOpts, JobArgs, JSONJobArgs, UniqueOpts
from .results import JobListResult, MigrateValidateResult, MigrationVersion, QueryResult
from .transaction import Transaction
from .workers import Job, JobCancel, JobSnooze, QueueConfig, WorkerMiddleware, Workers
from .types import AttemptError, JobInsertParams, JobInsertResult, JobRow, JobState, PeriodicJobHandle, Queue

from ._bridge import calls as _calls
from ._bridge.gojson import go_json
from ._version import RIVER_VERSION, __version__


def library_info() -> dict[str, str]:
    """What the loaded Go library was built from: River's version and Go's.
    Loads the library."""
    return _calls.library_info()


@contextlib.contextmanager
def library_trace(path: str | os.PathLike[str]) -> Iterator[None]:
    """Record Go's execution tracer (``runtime/trace``) for the whole library
    while the block runs, into ``path``; read it with ``go tool trace``. For
    finding where a call's time goes inside Go: goroutine hand-offs, the
    network poller, the scheduler. One trace at a time per process."""
    _calls.trace_start(os.fspath(path))
    try:
        yield
    finally:
        _calls.trace_stop()


def ping() -> None:
    """One round trip through the Go library that does nothing: the fixed
    cost of every call, for benchmarks. Loads the library."""
    _calls.ping()


__all__ = [
    "JobInsertMiddleware",
    "InsertBatch",
    "InsertWrapper",
    "PeriodicJob",
    "PeriodicJobBundle",
    "Event",
    "EventKind",
    "JobStatistics",
    "Subscription",
    "go_json",
    "library_info",
    "library_trace",
    "ping",
    "RIVER_VERSION",
    "__version__",
    "Job",
    "JobCancel",
    "JobSnooze",
    "QueueConfig",
    "WorkerMiddleware",
    "Workers",
    "AsyncClient",
    "AsyncAppConnection",
    "AppConnection",
    "AsyncTransaction",
    "InsertManyParams",
    "JobArgs",
    "JSONJobArgs",
    "DataclassJobArgs",
    "JobListResult",
    "MigrateValidateResult",
    "MigrationVersion",
    "QueryResult",
    "Transaction",
    "AttemptError",
    "Client",
    "ClientClosedError",
    "ClientStateError",
    "DatabaseError",
    "ForkedProcessError",
    "InsertOpts",
    "InternalError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "JobInsertParams",
    "JobInsertResult",
    "JobRow",
    "JobRunningError",
    "JobState",
    "NotFoundError",
    "PeriodicJobHandle",
    "PyRiverError",
    "Queue",
    "UniqueOpts",
]
