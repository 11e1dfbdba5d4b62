"""Python mirrors of River's ``rivertype`` package.

Field names are River's in snake_case (``JobRow.max_attempts`` for
``JobRow.MaxAttempts``). Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import base64
import enum
import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class JobState(str, enum.Enum):
    """The states of a job, exactly River's ``rivertype.JobState`` values."""

    AVAILABLE = "available"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    DISCARDED = "discarded"
    PENDING = "pending"
    RETRYABLE = "retryable"
    RUNNING = "running"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class AttemptError:
    """An error from one attempt at working a job (``rivertype.AttemptError``)."""

    at: datetime
    """When the attempt failed (UTC)."""
    attempt: int
    """Which attempt failed, from 1."""
    error: str
    """The error's text: ``"Type: message"`` for a Python exception."""
    trace: str
    """The stack trace of the failure (a Python traceback for Python handlers)."""


@dataclass(frozen=True)
class JobRow:
    """A job as stored by River (``rivertype.JobRow``).

    ``encoded_args`` and ``metadata`` are the exact JSON bytes River stored;
    ``args`` is ``encoded_args`` decoded.
    """

    id: int
    """The job's id, unique in the database."""
    attempt: int
    """How many times the job has been attempted (the current attempt while it runs)."""
    attempted_at: datetime | None
    """When the last attempt started; None before the first."""
    attempted_by: list[str]
    """The ids of the clients that attempted the job, most recent last."""
    created_at: datetime
    """When the job was inserted."""
    encoded_args: bytes
    """The args as River stored them: JSON bytes."""
    errors: list[AttemptError]
    """One entry per failed attempt, oldest first."""
    finalized_at: datetime | None
    """When the job reached a final state (completed, cancelled, discarded); None before."""
    kind: str
    """The job's kind: which worker works it."""
    max_attempts: int
    """How many attempts River makes before discarding the job."""
    metadata: bytes
    """The job's metadata as River stored it: JSON bytes (an object)."""
    priority: int
    """From 1 (first) to 4 (last) among available jobs of a queue."""
    queue: str
    """The queue the job is in."""
    scheduled_at: datetime
    """When the job becomes (or became) available to work."""
    state: JobState
    """Where the job is in River's lifecycle."""
    tags: list[str]
    """The job's tags, for filtering."""
    unique_key: bytes | None
    """River's unique key for a unique job (the bytes River compares); None otherwise."""
    unique_states: list[JobState]
    """The states in which another job with the same unique key counts as a duplicate."""

    @functools.cached_property
    def args(self) -> Any:
        """``encoded_args`` decoded, on first access: a batch insert returns
        thousands of rows whose args nobody reads."""
        return json.loads(self.encoded_args) if self.encoded_args else None

    @property
    def output(self) -> Any:
        """The output a worker recorded for this job (River's
        ``JobRow.Output``, kept under the ``output`` metadata key), or None."""
        return json.loads(self.metadata).get("output") if self.metadata else None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data (an HTTP response, a log line): River's
        field names, ``args`` and ``metadata`` decoded, times in ISO 8601,
        the unique key in base64."""
        return {
            "id": self.id,
            "args": self.args,
            "attempt": self.attempt,
            "attempted_at": _iso(self.attempted_at),
            "attempted_by": list(self.attempted_by),
            "created_at": _iso(self.created_at),
            "errors": [
                {"at": _iso(e.at), "attempt": e.attempt, "error": e.error, "trace": e.trace} for e in self.errors
            ],
            "finalized_at": _iso(self.finalized_at),
            "kind": self.kind,
            "max_attempts": self.max_attempts,
            "metadata": json.loads(self.metadata) if self.metadata else {},
            "priority": self.priority,
            "queue": self.queue,
            "scheduled_at": _iso(self.scheduled_at),
            "state": self.state.value,
            "tags": list(self.tags),
            "unique_key": base64.b64encode(self.unique_key).decode() if self.unique_key is not None else None,
            "unique_states": [state.value for state in self.unique_states],
        }


@dataclass(frozen=True, slots=True)
class JobInsertResult:
    """The result of inserting one job (``rivertype.JobInsertResult``).

    ``unique_skipped_as_duplicate`` is true when unique options matched an
    existing job: ``job`` is then that existing job and nothing was inserted.
    """

    job: JobRow
    """The inserted job, or the existing one it duplicates."""
    unique_skipped_as_duplicate: bool
    """True when unique options matched an existing job and nothing was inserted."""

    @property
    def unique_skipped_as_duplicated(self) -> bool:
        """riverqueue-python's spelling of ``unique_skipped_as_duplicate``."""
        return self.unique_skipped_as_duplicate


@dataclass
class JobInsertParams:
    """A job about to be inserted, as River filled it in
    (``rivertype.JobInsertParams``). Insert middleware may change it; the
    unique key and states are River's, computed before middleware runs."""

    kind: str
    """The job's kind."""
    encoded_args: bytes
    """The args as JSON bytes, as they will be stored."""
    max_attempts: int
    """How many attempts River makes before discarding the job."""
    metadata: bytes
    """The metadata as JSON bytes (an object)."""
    priority: int
    """From 1 (first) to 4 (last)."""
    queue: str
    """The queue the job goes to."""
    scheduled_at: datetime | None
    """When the job becomes available; None for now."""
    state: JobState
    """The state it is inserted in (available, scheduled or pending)."""
    tags: list[str]
    """The job's tags."""
    unique_key: bytes | None = None
    """River's unique key, for a unique job; None otherwise."""
    unique_states: int = 0
    """River's bitmask of the states the unique key applies in (0: not unique)."""


@dataclass(frozen=True)
class Queue:
    """A queue known to River (``rivertype.Queue``)."""

    name: str
    """The queue's name."""
    created_at: datetime
    """When River first saw the queue."""
    metadata: bytes
    """The queue's metadata as JSON bytes (an object)."""
    paused_at: datetime | None
    """When the queue was paused; None while it runs."""
    updated_at: datetime
    """When the queue last changed (River updates it while clients work it)."""

    def to_dict(self) -> dict[str, Any]:
        """The queue as JSON-ready data, as :meth:`JobRow.to_dict`."""
        return {
            "name": self.name,
            "created_at": _iso(self.created_at),
            "metadata": json.loads(self.metadata) if self.metadata else {},
            "paused_at": _iso(self.paused_at),
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True)
class PeriodicJobHandle:
    """Identifies a periodic job added to a client (``rivertype.PeriodicJobHandle``)."""

    id: int
    """River's handle number, for :meth:`PeriodicJobBundle.remove`."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
