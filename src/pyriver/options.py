"""Insert options, shaped like riverqueue-python's so its users can switch by
changing only how the client is constructed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from .types import JobState


@dataclass
class UniqueOpts:
    """River's ``UniqueOpts``: which jobs count as duplicates of this one.

    ``by_period`` is a ``timedelta`` or a number of seconds (at least 1).
    ``by_state`` defaults to River's default states and, when given, must
    include the states River requires.
    """

    by_args: bool = False
    by_period: timedelta | float | None = None
    by_queue: bool = False
    by_state: list[JobState | str] | None = None
    exclude_kind: bool = False


@dataclass
class InsertOpts:
    """River's ``InsertOpts``. ``None`` means "not set": the args'
    ``insert_opts()`` or River's default applies, exactly as in Go."""

    max_attempts: int | None = None
    metadata: dict[str, Any] | None = None
    pending: bool = False
    priority: int | None = None
    queue: str | None = None
    scheduled_at: datetime | None = None
    tags: list[str] | None = None
    unique_opts: UniqueOpts | None = None


@dataclass
class InsertManyParams:
    """One job for ``insert_many``: its args and, optionally, its options
    (River's ``InsertManyParams``)."""

    args: Any
    insert_opts: InsertOpts | RiverqueueInsertOpts | None = None


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
