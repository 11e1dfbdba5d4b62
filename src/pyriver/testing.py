"""Test helpers, as River's ``rivertest`` package gives Go programs.

``require_inserted`` and its siblings check what an application inserted,
through a client, a transaction or an application connection (so a test can
look inside a transaction it never commits). ``work_job`` works one job
through River's real engine and the application's real handler. The pytest
fixture ``river_client`` is a migrated client on a throwaway SQLite file;
the plugin is registered for pytest automatically when pyriver is installed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ._operations import Operations
from .client import Client
from .options import InsertOpts, JobArgs
from .types import JobRow, JobState
from .workers import QueueConfig, Workers


@dataclass(frozen=True)
class ExpectedJob:
    """A job :func:`require_many_inserted` expects: its kind (or args class)
    and, optionally, properties it must have."""

    kind: str | type
    """The job's kind, or an args class with a ``kind``."""
    max_attempts: int | None = None
    """The job's ``max_attempts``, if it matters."""
    priority: int | None = None
    """The job's priority, if it matters."""
    queue: str | None = None
    """The job's queue, if it matters."""
    scheduled_at: datetime | None = None
    """When the job is scheduled, to the second, if it matters."""
    state: JobState | str | None = None
    """The job's state, if it matters."""
    tags: Sequence[str] | None = None
    """The job's tags (all of them, any order), if they matter."""


def require_inserted(target: Operations, kind: str | type, **expected: Any) -> JobRow:
    """The one job of ``kind`` (a kind, or an args class with ``kind``) that
    ``target`` sees; AssertionError if there is none or more than one, or if
    it lacks one of the ``expected`` properties (``max_attempts``,
    ``priority``, ``queue``, ``scheduled_at``, ``state``, ``tags``)."""
    job_kind = _kind_of(kind)
    jobs = target.job_list(kinds=[job_kind], limit=2).jobs
    if len(jobs) != 1:
        raise AssertionError(f"expected 1 job of kind {job_kind!r} to be inserted, found {len(jobs)}")
    _check(jobs[0], ExpectedJob(job_kind, **expected))
    return jobs[0]


def require_many_inserted(target: Operations, expected: Sequence[ExpectedJob]) -> list[JobRow]:
    """Exactly the ``expected`` jobs, in insertion order, among the jobs of
    their kinds that ``target`` sees; AssertionError otherwise."""
    kinds = sorted({_kind_of(job.kind) for job in expected})
    jobs = target.job_list(kinds=kinds, limit=len(expected) + 1).jobs
    found, wanted = [job.kind for job in jobs], [_kind_of(job.kind) for job in expected]
    if found != wanted:
        raise AssertionError(f"expected jobs of kinds {wanted} to be inserted, found {found}")
    for job, expectation in zip(jobs, expected):
        _check(job, expectation)
    return jobs


def require_not_inserted(target: Operations, kind: str | type, **expected: Any) -> None:
    """AssertionError if ``target`` sees a job of ``kind`` having all the
    ``expected`` properties (any job of the kind, when none are given)."""
    job_kind = _kind_of(kind)
    expectation = ExpectedJob(job_kind, **expected)
    for job in target.job_list(kinds=[job_kind], limit=1000).jobs:
        if not _mismatches(job, expectation):
            raise AssertionError(f"expected no job of kind {job_kind!r} like {expected or 'any'}, found job {job.id}")


def work_job(
    client: Client, workers: Workers, args: JobArgs, opts: InsertOpts | None = None, timeout: float = 30
) -> JobRow:
    """Insert a job with ``client`` and work it through River's engine with
    the real handler ``workers`` registers for it, as ``rivertest.Worker``
    does; returns the job as River left it (completed, retryable with its
    error, snoozed, cancelled...). A client of its own works only this job's
    queue (``pyriver_testing`` unless ``opts`` names one)."""
    opts = opts or InsertOpts()
    queue = opts.queue or "pyriver_testing"
    inserted = client.insert(args, replace(opts, queue=queue)).job
    with Client(
        client.url,
        workers=workers,
        queues={queue: QueueConfig(max_workers=1)},
        fetch_cooldown=0.01,
        fetch_poll_interval=0.05,
    ) as worker:
        worker.start()
        deadline = time.monotonic() + timeout
        try:
            while (job := client.job_get(inserted.id)).state in (JobState.AVAILABLE, JobState.RUNNING):
                if time.monotonic() > deadline:
                    raise AssertionError(f"job {inserted.id} was not worked within {timeout}s")
                time.sleep(0.02)
        finally:
            worker.stop()
    return job


def _kind_of(kind: str | type) -> str:
    return kind if isinstance(kind, str) else str(getattr(kind, "kind"))


def _mismatches(job: JobRow, expected: ExpectedJob) -> list[str]:
    wanted = {
        "max_attempts": expected.max_attempts,
        "priority": expected.priority,
        "queue": expected.queue,
        "scheduled_at": expected.scheduled_at,
        "state": JobState(expected.state) if expected.state is not None else None,
        "tags": list(expected.tags) if expected.tags is not None else None,
    }
    return [
        f"{name} is {getattr(job, name)!r}, expected {value!r}"
        for name, value in wanted.items()
        if value is not None and getattr(job, name) != value
    ]


def _check(job: JobRow, expected: ExpectedJob) -> None:
    if mismatches := _mismatches(job, expected):
        raise AssertionError(f"job {job.id} of kind {job.kind!r}: " + "; ".join(mismatches))


try:
    import pytest
except ImportError:  # pytest is optional: the helpers above need none of it
    pass
else:

    @pytest.fixture
    def river_client(tmp_path: Path) -> Iterator[Client]:
        """A client on a migrated SQLite file in the test's temp dir."""
        with Client(f"sqlite://{tmp_path}/river.db") as client:
            client.migrate()
            yield client
