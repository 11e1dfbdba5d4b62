"""Python worker processes under signals and crashes, and Python working
jobs that Go inserted."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import pyriver
from pyriver import JobState
from support.databases import Database
from support.goprograms import interopcheck
from support.waiting import wait_until_finalized

WORKER_PROCESS = Path(__file__).resolve().parents[1] / "support" / "worker_process.py"


@dataclasses.dataclass
class Nap:
    kind = "nap"
    seconds: float
    retry_seconds: float | None = None


@contextmanager
def worker_process(url: str, soft_stop: float, rescue_after: float | None = None) -> Iterator[subprocess.Popen[str]]:
    args = [sys.executable, str(WORKER_PROCESS), url, str(soft_stop)]
    if rescue_after is not None:
        args.append(str(rescue_after))
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)


def wait_started(process: subprocess.Popen[str], *job_ids: int) -> None:
    """Wait until the process reports it started every one of these jobs."""
    assert process.stdout is not None
    expected = {f"started {job_id}" for job_id in job_ids}
    while expected:
        line = process.stdout.readline().strip()
        assert line in expected, line
        expected.discard(line)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_lets_a_running_handler_finish(client: pyriver.Client, database: Database, signum: int) -> None:
    with worker_process(database.url, soft_stop=10) as process:
        job = client.insert(Nap(1.0)).job
        wait_started(process, job.id)
        sent = time.monotonic()
        process.send_signal(signum)
        assert process.wait(20) == 0
        stopped_after = time.monotonic() - sent
    finished = client.job_get(job.id)
    assert finished.state is JobState.COMPLETED and finished.output["cancelled"] is False
    assert stopped_after < 10


def test_signal_past_the_soft_stop_timeout_returns_the_job_to_the_queue(
    client: pyriver.Client, database: Database
) -> None:
    with worker_process(database.url, soft_stop=0.5) as process:
        job = client.insert(Nap(60)).job
        other = client.insert(Nap(60)).job
        wait_started(process, job.id, other.id)
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        assert time.monotonic() - sent < 10
    for job_id in [job.id, other.id]:
        interrupted = client.job_get(job_id)
        assert interrupted.state is JobState.AVAILABLE
        assert interrupted.errors == []


def test_a_killed_worker_loses_nothing(client: pyriver.Client, database: Database) -> None:
    """SIGKILL mid-job: another process rescues the job after River's rescue
    threshold (once the dead leader's lease lapses) and completes it, once."""
    with worker_process(database.url, soft_stop=1, rescue_after=3) as first:
        job = client.insert(Nap(3600, retry_seconds=0)).job
        wait_started(first, job.id)
        first.kill()
        first.wait(10)
    assert client.job_get(job.id).state is JobState.RUNNING
    with worker_process(database.url, soft_stop=1, rescue_after=3) as second:
        (final,) = wait_until_finalized(client, [job.id], timeout=120)
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    assert final.state is JobState.COMPLETED
    assert final.attempt == 2 and final.output["pid"] == second.pid
    assert len(final.errors) == 1 and "stuck" in final.errors[0].error.lower()


def test_python_works_jobs_that_go_inserted(database: Database) -> None:
    workers = pyriver.Workers()
    workers.add("order", lambda job: {"total": job.args["amount"] * len(job.args["items"])})
    with pyriver.Client(database.url, workers=workers, fetch_poll_interval=0.1) as client:
        client.migrate()
        rows = interopcheck(
            database.url,
            "insert",
            [{"kind": "order", "args": {"customer": c, "amount": 5, "items": ["a", "b"]}, "opts": {}} for c in "xyz"],
        )
        client.start()
        jobs = wait_until_finalized(client, [row["id"] for row in rows])
        client.stop()
    assert [(job.state, job.output) for job in jobs] == [(JobState.COMPLETED, {"total": 10})] * 3
