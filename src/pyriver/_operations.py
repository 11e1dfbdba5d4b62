"""River's job and queue operations, shared by :class:`~pyriver.Client` and
:class:`~pyriver.Transaction`: the same call runs on the client (in its own
transaction, as River does) or inside the application's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._wire import (
    check_id,
    check_str,
    insert_item_to_wire,
    insert_results_from_wire,
    job_filters_to_wire,
    job_row_from_wire,
    json_object_to_wire,
    optional_str_list,
    queue_from_wire,
)
from .errors import InvalidArgumentTypeError
from .insert_middleware import JobInsertMiddleware, insert_through_middleware
from .options import InsertManyParams, InsertOpts
from .results import JobListResult
from .types import JobInsertResult, JobRow, JobState, Queue

InsertManyItem = Any
"""An item of ``insert_many``: args, an ``(args, opts)`` pair, or an
:class:`InsertManyParams`."""


class Operations:
    """Methods named after River's ``Client`` methods (``job_cancel`` for
    ``JobCancel``). Subclasses say where they run by implementing ``_call``."""

    # Set by the client; a transaction shares its client's.
    _insert_middleware: tuple[JobInsertMiddleware, ...] = ()

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _insert(self, jobs: list[dict[str, Any]]) -> list[JobInsertResult]:
        if self._insert_middleware:
            return insert_through_middleware(self._call, jobs, self._insert_middleware)
        return insert_results_from_wire(self._call("insert_many", {"jobs": jobs}))

    # --- inserts -----------------------------------------------------------

    def insert(self, args: Any, opts: InsertOpts | None = None) -> JobInsertResult:
        """Insert one job. ``args`` is a dataclass with a ``kind`` class
        attribute, or any object with a ``kind`` and a ``to_json()``. Returns
        the existing job, with ``unique_skipped_as_duplicate``, when unique
        options match one."""
        return self._insert([insert_item_to_wire(args, opts)])[0]

    def insert_many(self, items: Iterable[InsertManyItem]) -> list[JobInsertResult]:
        """Insert many jobs at once, all or none. Items are args,
        ``(args, opts)`` pairs or :class:`InsertManyParams`. Results come in
        the items' order; each row is built when first read."""
        return self._insert(_insert_many_to_wire(items))

    def insert_many_fast(self, items: Iterable[InsertManyItem]) -> int:
        """Insert many jobs with River's InsertManyFast (COPY on PostgreSQL)
        and return how many were inserted. Faster than :meth:`insert_many`
        because it returns no rows. As in River, a unique conflict cannot be
        skipped here: it fails the whole batch and inserts nothing. Python
        insert middleware does not run here (it needs the rows)."""
        return int(self._call("insert_many_fast", {"jobs": _insert_many_to_wire(items)}))

    # --- jobs --------------------------------------------------------------

    def job_get(self, id: int) -> JobRow:
        """The job with this id; :class:`NotFoundError` if there is none."""
        return job_row_from_wire(self._call("job_get", {"id": check_id(id)}))

    def job_cancel(self, id: int) -> JobRow:
        """Cancel a job, as River's ``JobCancel``: a job not yet running is
        cancelled at once; a running one is asked to stop. Returns the job."""
        return job_row_from_wire(self._call("job_cancel", {"id": check_id(id)}))

    def job_delete(self, id: int) -> JobRow:
        """Delete a job and return it; :class:`JobRunningError` if it is
        running."""
        return job_row_from_wire(self._call("job_delete", {"id": check_id(id)}))

    def job_retry(self, id: int) -> JobRow:
        """Make a job available to run again now, as River's ``JobRetry``."""
        return job_row_from_wire(self._call("job_retry", {"id": check_id(id)}))

    def job_list(
        self,
        *,
        ids: Sequence[int] | None = None,
        kinds: Sequence[str] | None = None,
        priorities: Sequence[int] | None = None,
        queues: Sequence[str] | None = None,
        states: Sequence[JobState | str] | None = None,
        tags_all: Sequence[str] | None = None,
        tags_any: Sequence[str] | None = None,
        order_by: str = "id",
        order: str = "asc",
        limit: int | None = None,
        after: str | None = None,
    ) -> JobListResult:
        """List jobs with River's filters. ``order_by`` is ``"id"``,
        ``"scheduled_at"``, ``"finalized_at"`` or ``"time"``; ``limit``
        defaults to River's 100 (at most 10,000). Resume with
        ``after=result.last_cursor`` and the same filters and order."""
        request = job_filters_to_wire(
            ids=ids, kinds=kinds, priorities=priorities, queues=queues, states=states, limit=limit
        )
        request["tags_all"] = optional_str_list(tags_all, "tags_all")
        request["tags_any"] = optional_str_list(tags_any, "tags_any")
        request["order_by"] = check_str(order_by, "order_by")
        request["order"] = check_str(order, "order")
        if after is not None:
            request["after"] = check_str(after, "after")
        result = self._call("job_list", request)
        return JobListResult(
            jobs=[job_row_from_wire(job) for job in result["jobs"]], last_cursor=result.get("last_cursor")
        )

    def job_delete_many(
        self,
        *,
        ids: Sequence[int] | None = None,
        kinds: Sequence[str] | None = None,
        priorities: Sequence[int] | None = None,
        queues: Sequence[str] | None = None,
        states: Sequence[JobState | str] | None = None,
        limit: int | None = None,
        unsafe_all: bool = False,
    ) -> list[JobRow]:
        """Delete the jobs matching the filters and return them. Running jobs
        are never deleted. With no filter it refuses, as River does, unless
        ``unsafe_all=True``."""
        request = job_filters_to_wire(
            ids=ids, kinds=kinds, priorities=priorities, queues=queues, states=states, limit=limit
        )
        request["unsafe_all"] = bool(unsafe_all)
        return [job_row_from_wire(job) for job in self._call("job_delete_many", request)]

    # --- queues ------------------------------------------------------------

    def queue_get(self, name: str) -> Queue:
        """The queue with this name; :class:`NotFoundError` if River has
        never seen it."""
        return queue_from_wire(self._call("queue_get", {"name": check_str(name, "name")}))

    def queue_list(self, *, limit: int | None = None) -> list[Queue]:
        """Queues known to River, by name."""
        request = {} if limit is None else {"limit": limit}
        return [queue_from_wire(queue) for queue in self._call("queue_list", request)]

    def queue_pause(self, name: str) -> None:
        """Pause a queue: workers on every client stop fetching from it.
        ``"*"`` pauses all queues."""
        self._call("queue_pause", {"name": check_str(name, "name")})

    def queue_resume(self, name: str) -> None:
        """Resume a paused queue (``"*"`` for all)."""
        self._call("queue_resume", {"name": check_str(name, "name")})

    def queue_update(self, name: str, *, metadata: dict[str, Any]) -> Queue:
        """Replace a queue's metadata and return the queue."""
        request = {"name": check_str(name, "name"), "metadata": json_object_to_wire(metadata, "metadata")}
        return queue_from_wire(self._call("queue_update", request))


def _insert_many_to_wire(items: Iterable[InsertManyItem]) -> list[dict[str, Any]]:
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InvalidArgumentTypeError(f"items must be an iterable of jobs, not {type(items).__name__}", "items")
    return [_insert_many_item_to_wire(item) for item in items]


def _insert_many_item_to_wire(item: InsertManyItem) -> dict[str, Any]:
    if isinstance(item, InsertManyParams):
        return insert_item_to_wire(item.args, item.insert_opts)
    if isinstance(item, tuple):
        if len(item) != 2:
            raise InvalidArgumentTypeError("insert_many items must be args or (args, opts) pairs", "items")
        return insert_item_to_wire(item[0], item[1])
    return insert_item_to_wire(item, None)
