"""Waiting for jobs that a worker (Go or Python) works in the background."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pyriver


def wait_for(condition: Callable[[], Any], timeout: float = 60, what: str = "condition") -> Any:
    """Poll until condition() is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def wait_until_finalized(client: pyriver.Client, ids: list[int], timeout: float = 60) -> list[pyriver.JobRow]:
    """Wait for every job to reach a final state and return them in order."""
    finalized = {pyriver.JobState.COMPLETED, pyriver.JobState.DISCARDED, pyriver.JobState.CANCELLED}

    def all_final() -> list[pyriver.JobRow] | None:
        jobs = {job.id: job for job in client.job_list(ids=ids, limit=max(len(ids), 1)).jobs}
        if len(jobs) == len(ids) and all(job.state in finalized for job in jobs.values()):
            return [jobs[job_id] for job_id in ids]
        return None

    return wait_for(all_final, timeout, f"{len(ids)} jobs to finish")  # type: ignore[no-any-return]
