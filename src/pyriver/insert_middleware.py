"""JobInsertMiddleware (``rivertype.JobInsertMiddleware``) in Python.

River runs insert middleware inside its insert, in Go, and Go never calls
Python. So an insert through Python middleware goes through River twice: the
first pass returns the parameters River filled in and writes nothing; the
middleware chain sees (and may change) them; ``do_inner()`` makes the second
pass, which inserts with the middleware's version. A middleware that raises
leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ._wire import datetime_from_wire, datetime_to_wire, insert_results_from_wire
from .types import JobInsertParams, JobInsertResult, JobState


class JobInsertMiddleware(Protocol):
    """Wraps inserts. Call ``do_inner()`` to insert the (possibly changed)
    ``params`` and get River's results."""

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]: ...


def _params_from_wire(wire: dict[str, Any]) -> JobInsertParams:
    scheduled_at = wire.get("scheduled_at")
    return JobInsertParams(
        kind=wire["kind"],
        encoded_args=wire["encoded_args"].encode(),
        max_attempts=wire["max_attempts"],
        metadata=wire["metadata"].encode(),
        priority=wire["priority"],
        queue=wire["queue"],
        scheduled_at=None if scheduled_at is None else datetime_from_wire(scheduled_at),
        state=JobState(wire["state"]),
        tags=list(wire.get("tags") or []),
        unique_key=None,
        unique_states=wire.get("unique_states") or 0,
    )


def _params_to_wire(params: JobInsertParams) -> dict[str, Any]:
    return {
        "kind": params.kind,
        "encoded_args": bytes(params.encoded_args).decode(),
        "max_attempts": params.max_attempts,
        "metadata": bytes(params.metadata).decode(),
        "priority": params.priority,
        "queue": params.queue,
        "scheduled_at": None if params.scheduled_at is None else datetime_to_wire(params.scheduled_at, "params.scheduled_at"),
        "state": JobState(params.state).value,
        "tags": list(params.tags),
    }


def insert_through_middleware(
    call: Callable[[str, dict[str, Any]], Any],
    jobs: list[dict[str, Any]],
    middleware: Sequence[JobInsertMiddleware],
) -> list[JobInsertResult]:
    params = [_params_from_wire(filled) for filled in call("insert_many", {"jobs": jobs, "prepare": True})]

    def insert() -> list[JobInsertResult]:
        overrides = [_params_to_wire(p) for p in params]
        return insert_results_from_wire(call("insert_many", {"jobs": jobs, "overrides": overrides}))

    def through(position: int) -> list[JobInsertResult]:
        if position == len(middleware):
            return insert()
        return middleware[position].insert_many(params, lambda: through(position + 1))

    return through(0)
