"""Insert options, shaped like riverqueue-python's so its users can switch by
changing only how the client is constructed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from .types import JobState


class JSONJobArgs(Protocol):
    """Job args that encode themselves, as riverqueue-python's ``JobArgs``:
    a ``kind`` and a ``to_json()`` returning the args' JSON text."""

    @property
    def kind(self) -> str:
        """The job's kind, River's ``JobArgs.Kind()``."""
        ...

    def to_json(self) -> str:
        """The args as JSON text, stored as the job's ``encoded_args``."""
        ...


class DataclassJobArgs(Protocol):
    """Job args as a dataclass with a ``kind`` class attribute: encoded as Go
    encodes the struct it mirrors (see :func:`pyriver.go_json`)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def kind(self) -> str:
        """The job's kind, River's ``JobArgs.Kind()``."""
        ...


JobArgs = JSONJobArgs | DataclassJobArgs
"""What ``insert`` takes as a job's args: a dataclass with a ``kind``, or any
object with a ``kind`` and a ``to_json()``."""


@dataclass
class UniqueOpts:
    """River's ``UniqueOpts``: which jobs count as duplicates of this one.

    ``by_period`` is a ``timedelta`` or a number of seconds (at least 1).
    ``by_state`` defaults to River's default states and, when given, must
    include the states River requires.
    """

    by_args: bool = False
    """Duplicates have the same args (all of them, or the fields marked unique, as in Go)."""
    by_period: timedelta | float | None = None
    """Duplicates were scheduled in the same period of this length."""
    by_queue: bool = False
    """Duplicates are in the same queue."""
    by_state: list[JobState | str] | None = None
    """The states in which an existing job counts as a duplicate (River's default when None)."""
    exclude_kind: bool = False
    """Jobs of other kinds with the same unique properties count as duplicates too."""


@dataclass
class InsertOpts:
    """River's ``InsertOpts``. ``None`` means "not set": the args'
    ``insert_opts()`` or River's default applies, exactly as in Go."""

    max_attempts: int | None = None
    """How many attempts before the job is discarded (River's default: 25)."""
    metadata: dict[str, Any] | None = None
    """Metadata to store with the job: a JSON object."""
    pending: bool = False
    """Insert in the ``pending`` state: not worked until moved out of it."""
    priority: int | None = None
    """From 1 (first, River's default) to 4 (last)."""
    queue: str | None = None
    """The queue to insert into (River's default: ``default``)."""
    scheduled_at: datetime | None = None
    """When the job becomes available (a timezone-aware datetime); now when None."""
    tags: list[str] | None = None
    """Tags for filtering (``tags_all``/``tags_any``): word characters and ``-``, up to 255 characters each."""
    unique_opts: UniqueOpts | None = None
    """Make the job unique: what counts as a duplicate of it."""


@dataclass
class InsertManyParams:
    """One job for ``insert_many``: its args and, optionally, its options
    (River's ``InsertManyParams``)."""

    args: JobArgs
    """The job's args."""
    insert_opts: InsertOpts | RiverqueueInsertOpts | None = None
    """The job's options, or None for the args' ``insert_opts()`` and River's defaults."""


class RiverqueueInsertOpts(Protocol):
    """riverqueue-python's ``InsertOpts``, which pyriver reads like its own
    (its ``UniqueOpts`` likewise): code written for riverqueue-python runs
    and type-checks unchanged."""

    @property
    def max_attempts(self) -> int | None: ...
    @property
    def priority(self) -> int | None: ...
    @property
    def queue(self) -> str | None: ...
    @property
    def scheduled_at(self) -> datetime | None: ...
    @property
    def tags(self) -> list[Any] | None: ...
    @property
    def unique_opts(self) -> Any: ...


AnyInsertOpts = InsertOpts | RiverqueueInsertOpts
"""pyriver's InsertOpts or riverqueue-python's."""


class RiverqueueInsertManyParams(Protocol):
    """riverqueue-python's ``InsertManyParams``, read like
    :class:`InsertManyParams`."""

    @property
    def args(self) -> JobArgs: ...
    @property
    def insert_opts(self) -> AnyInsertOpts | None: ...
