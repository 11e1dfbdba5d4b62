"""Periodic jobs (River's ``PeriodicJob``): enqueued on a schedule by the
client River elects leader, so several clients running together enqueue
each tick once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ._bridge import calls
from ._bridge.config import periodic_job_to_wire
from ._bridge.targets import ClientHandle
from .errors import InvalidArgumentTypeError
from .options import InsertOpts, JobArgs
from .types import PeriodicJobHandle


@dataclass(frozen=True)
class PeriodicJob:
    """A job to enqueue on ``schedule``: a ``timedelta`` (or seconds) for a
    fixed interval, or a standard 5-field cron expression (``"*/5 * * * *"``,
    parsed in Go). ``args`` and ``opts`` are those of every enqueued job.
    ``run_on_start`` also enqueues one when the client starts."""

    schedule: timedelta | float | str
    """A fixed interval (a ``timedelta`` or seconds, at least 1 s) or a 5-field cron expression."""
    args: JobArgs
    """The args of every job enqueued."""
    opts: InsertOpts | None = None
    """The options of every job enqueued."""
    run_on_start: bool = False
    """Also enqueue one when the client starts."""
    id: str | None = None
    """An optional identifier, unique among the client's periodic jobs (River's ``PeriodicJobOpts.ID``)."""


class PeriodicJobBundle:
    """A client's periodic jobs (``client.periodic_jobs``), changeable while
    it runs, as River's ``PeriodicJobBundle``."""

    def __init__(self, client: Callable[[], ClientHandle]) -> None:
        self._client = client

    def add(self, job: PeriodicJob) -> PeriodicJobHandle:
        """Add a periodic job; the handle removes it."""
        return PeriodicJobHandle(calls.periodic_add(self._client(), periodic_job_to_wire(job)))

    def remove(self, handle: PeriodicJobHandle) -> None:
        """Remove the periodic job ``add`` returned ``handle`` for."""
        if not isinstance(handle, PeriodicJobHandle):
            raise InvalidArgumentTypeError(f"handle must be a PeriodicJobHandle, not {type(handle).__name__}", "handle")
        calls.periodic_remove(self._client(), handle.id)

    def clear(self) -> None:
        """Remove every periodic job."""
        calls.periodic_clear(self._client())
