"""River's job and queue operations, shared by :class:`~pyriver.Client`,
:class:`~pyriver.Transaction` and :class:`~pyriver.AppConnection`: the same
call runs on the client (in its own transaction, as River does), inside a
transaction on pyriver's connection, or inside the application's."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

from ._bridge import calls
from ._bridge.targets import Target
from .insert_middleware import InsertChain
from .errors import InvalidArgumentError
from .options import AnyInsertOpts, InsertManyParams, JobArgs, RiverqueueInsertManyParams
from .results import JobListResult
from .types import JobInsertResult, JobRow, JobState, Queue

T = TypeVar("T")

InsertManyItem = JobArgs | tuple[JobArgs, AnyInsertOpts | None] | InsertManyParams | RiverqueueInsertManyParams
"""An item of ``insert_many``: args, an ``(args, opts)`` pair, or an
:class:`InsertManyParams` (pyriver's or riverqueue-python's)."""

INSERT_CHUNK_SIZE = 10_000
"""A batch larger than this reaches River in chunks of this size, in one
transaction: memory stays bounded by the chunk while the batch stays all or
nothing. Every item is encoded, and so checked, before the first is sent,
except by :meth:`Client.insert_many`, which overlaps the two."""


class Operations:
    """Methods named after River's ``Client`` methods (``job_cancel`` for
    ``JobCancel``). Subclasses say where they run by implementing
    ``_target``."""

    # Set by the client; a transaction shares its client's.
    _insert_chain = InsertChain()

    def _target(self) -> Target:
        raise NotImplementedError

    def _all_or_nothing(self) -> AbstractContextManager[Operations]:
        """Where several calls commit or roll back together: here, for a
        transaction (pyriver's or the application's); a client opens one."""
        return nullcontext(self)

    def _in_chunks(
        self, items: Iterable[InsertManyItem], insert: Callable[[Operations, list[dict[str, Any]]], T], fast: bool
    ) -> list[T]:
        """The results of inserting the items' chunks (all at once when they
        fit in one), each by ``insert``; ``fast``: by InsertManyFast."""
        jobs = calls.encode_jobs(items)
        if len(jobs) <= INSERT_CHUNK_SIZE:
            return [insert(self, jobs)]
        results = []
        with self._all_or_nothing() as operations:
            while jobs:  # each chunk's encoding is freed once it is sent
                chunk = jobs[:INSERT_CHUNK_SIZE]
                del jobs[:INSERT_CHUNK_SIZE]
                results.append(insert(operations, chunk))
        return results

    def _insert(self, jobs: list[dict[str, Any]]) -> list[JobInsertResult]:
        return self._insert_chain.insert(self._target(), jobs)

    def _insert_fast(self, jobs: list[dict[str, Any]]) -> int:
        return self._insert_chain.insert_fast(self._target(), jobs)

    # --- inserts -----------------------------------------------------------

    def insert(
        self, args: JobArgs, opts: AnyInsertOpts | None = None, *, insert_opts: AnyInsertOpts | None = None
    ) -> JobInsertResult:
        """Insert one job. ``args`` is a dataclass with a ``kind`` class
        attribute, or any object with a ``kind`` and a ``to_json()``. Returns
        the existing job, with ``unique_skipped_as_duplicate``, when unique
        options match one. ``insert_opts=`` is riverqueue-python's name for
        ``opts``."""
        return self._insert(calls.encode_job(args, _one_of(opts, insert_opts)))[0]

    def insert_many(self, items: Iterable[InsertManyItem]) -> list[JobInsertResult]:
        """Insert many jobs at once, all or none. Items are args,
        ``(args, opts)`` pairs or :class:`InsertManyParams`. Results come in
        the items' order; each row is built when first read.

        On a client (not in a transaction) without Python insert middleware,
        a batch of more than 250 jobs reaches River in chunks, in one
        transaction: each chunk is encoded while River inserts the one before
        it, and a job that cannot be encoded rolls back those already sent.
        Each chunk is one statement: River refuses two jobs with the same
        unique key in one statement, failing the batch, while in different
        chunks the second is skipped as a duplicate."""
        chunks = self._in_chunks(items, Operations._insert, fast=False)
        return chunks[0] if len(chunks) == 1 else [result for chunk in chunks for result in chunk]

    def insert_many_fast(self, items: Iterable[InsertManyItem]) -> int:
        """Insert many jobs with River's InsertManyFast (COPY on PostgreSQL)
        and return how many were inserted. Faster than :meth:`insert_many`
        because it returns no rows. As in River, a unique conflict cannot be
        skipped here: it fails the whole batch and inserts nothing.
        River-style Python insert middleware (``insert_many``) does not run
        here, as it needs the rows; insert wrappers do. A large batch goes
        in chunks as for :meth:`insert_many`."""
        return sum(self._in_chunks(items, Operations._insert_fast, fast=True))

    # --- jobs --------------------------------------------------------------

    def job_get(self, id: int) -> JobRow:
        """The job with this id; :class:`NotFoundError` if there is none."""
        return calls.job_get(self._target(), id)

    def job_cancel(self, id: int) -> JobRow:
        """Cancel a job, as River's ``JobCancel``: a job not yet running is
        cancelled at once; a running one is asked to stop. Returns the job."""
        return calls.job_cancel(self._target(), id)

    def job_delete(self, id: int) -> JobRow:
        """Delete a job and return it; :class:`JobRunningError` if it is
        running."""
        return calls.job_delete(self._target(), id)

    def job_retry(self, id: int) -> JobRow:
        """Make a job available to run again now, as River's ``JobRetry``."""
        return calls.job_retry(self._target(), id)

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
        filters = calls.JobFilters(
            ids=ids, kinds=kinds, priorities=priorities, queues=queues, states=states, limit=limit
        )
        return calls.job_list(
            self._target(), filters, tags_all=tags_all, tags_any=tags_any, order_by=order_by, order=order, after=after
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
        filters = calls.JobFilters(
            ids=ids, kinds=kinds, priorities=priorities, queues=queues, states=states, limit=limit
        )
        return calls.job_delete_many(self._target(), filters, unsafe_all=unsafe_all)

    # --- queues ------------------------------------------------------------

    def queue_get(self, name: str) -> Queue:
        """The queue with this name; :class:`NotFoundError` if River has
        never seen it."""
        return calls.queue_get(self._target(), name)

    def queue_list(self, *, limit: int | None = None) -> list[Queue]:
        """Queues known to River, by name."""
        return calls.queue_list(self._target(), limit)

    def queue_pause(self, name: str) -> None:
        """Pause a queue: workers on every client stop fetching from it.
        ``"*"`` pauses all queues."""
        calls.queue_pause(self._target(), name)

    def queue_resume(self, name: str) -> None:
        """Resume a paused queue (``"*"`` for all)."""
        calls.queue_resume(self._target(), name)

    def queue_update(self, name: str, *, metadata: dict[str, Any]) -> Queue:
        """Replace a queue's metadata and return the queue."""
        return calls.queue_update(self._target(), name, metadata)


def _one_of(opts: AnyInsertOpts | None, insert_opts: AnyInsertOpts | None) -> AnyInsertOpts | None:
    if opts is not None and insert_opts is not None:
        raise InvalidArgumentError("give opts or insert_opts (riverqueue-python's name), not both", "insert_opts")
    return opts if opts is not None else insert_opts
