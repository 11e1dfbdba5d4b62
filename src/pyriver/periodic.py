"""Periodic jobs (River's ``PeriodicJob``): enqueued on a schedule by the
client River elects leader, so several clients running together enqueue
each tick once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ._wire import check_str, duration_to_seconds, insert_item_to_wire
from .errors import InvalidArgumentTypeError
from .options import InsertOpts
from .types import PeriodicJobHandle


@dataclass(frozen=True)
class PeriodicJob:
    """A job to enqueue on ``schedule``: a ``timedelta`` (or seconds) for a
    fixed interval, or a standard 5-field cron expression (``"*/5 * * * *"``,
    parsed in Go). ``args`` and ``opts`` are those of every enqueued job.
    ``run_on_start`` also enqueues one when the client starts."""

    schedule: timedelta | float | str
    args: Any
    opts: InsertOpts | None = None
    run_on_start: bool = False
    id: str | None = None


def periodic_job_to_wire(job: Any) -> dict[str, Any]:
    if not isinstance(job, PeriodicJob):
        raise InvalidArgumentTypeError(f"periodic jobs must be pyriver.PeriodicJob, not {type(job).__name__}", "periodic_jobs")
    wire: dict[str, Any] = {"job": insert_item_to_wire(job.args, job.opts), "run_on_start": bool(job.run_on_start)}
    if isinstance(job.schedule, str):
        wire["cron"] = job.schedule
    else:
        wire["interval"] = duration_to_seconds(job.schedule, "schedule")
    if job.id is not None:
        wire["id"] = check_str(job.id, "id")
    return wire


class PeriodicJobBundle:
    """A client's periodic jobs (``client.periodic_jobs``), changeable while
    it runs, as River's ``PeriodicJobBundle``."""

    def __init__(self, call: Callable[[str, dict[str, Any]], Any]) -> None:
        self._call = call

    def add(self, job: PeriodicJob) -> PeriodicJobHandle:
        return PeriodicJobHandle(int(self._call("periodic.add", {"job": periodic_job_to_wire(job)})))

    def remove(self, handle: PeriodicJobHandle) -> None:
        if not isinstance(handle, PeriodicJobHandle):
            raise InvalidArgumentTypeError(f"handle must be a PeriodicJobHandle, not {type(handle).__name__}", "handle")
        self._call("periodic.remove", {"handle": handle.id})

    def clear(self) -> None:
        self._call("periodic.clear", {})
