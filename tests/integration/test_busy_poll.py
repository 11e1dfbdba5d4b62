"""A client whose calls busy poll for PostgreSQL's answers (``busy_poll``)
behaves as any other: the same results, a wait longer than the busy poll
still ends with its answer, and the operation timeout still ends a call
that waits too long. On SQLite the option changes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

import pyriver
from pyriver import JobState
from support.databases import Database
from support.jobargs import SendEmail

BUSY_POLL = 0.0005


def test_a_busy_polling_client_does_what_any_client_does(database: Database) -> None:
    with pyriver.Client(database.url, busy_poll=BUSY_POLL) as client:
        client.migrate()
        job = client.insert(SendEmail("one@example.com")).job
        assert client.job_get(job.id).args == job.args
        assert len(client.insert_many([SendEmail("a"), SendEmail("b")])) == 2
        with pytest.raises(RuntimeError), client.transaction() as tx:
            tx.insert(SendEmail("rolled back"))
            raise RuntimeError("roll back")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: client.insert(SendEmail(f"{n}@example.com")), range(80)))
    assert database.job_count() == 1 + 2 + 80


def test_a_wait_longer_than_the_busy_poll_gets_its_answer(database: Database) -> None:
    """A call waits on a row another transaction holds for far longer than it
    busy polls: it sleeps, and wakes with its answer once the lock goes."""
    with pyriver.Client(database.url, busy_poll=BUSY_POLL) as client:
        client.migrate()
        job = client.insert(SendEmail("locked@example.com")).job
        with job_locked(client, database, job.id) as release:
            threading.Timer(0.3, release.set).start()
            started = time.monotonic()
            assert client.job_cancel(job.id).state is JobState.CANCELLED
            assert time.monotonic() - started > 0.1  # it did wait for the lock


def test_the_operation_timeout_ends_a_busy_polling_wait(database: Database) -> None:
    with pyriver.Client(database.url, busy_poll=0.01, operation_timeout=0.3) as client:
        client.migrate()
        job = client.insert(SendEmail("locked@example.com")).job
        with job_locked(client, database, job.id):
            started = time.monotonic()
            with pytest.raises(pyriver.DatabaseError):
                client.job_cancel(job.id)
            assert time.monotonic() - started < 5
        # Not asserted: the job's state. PostgreSQL cancels the waiting
        # statement by a request of its own, which can arrive after the lock
        # is gone; a timed-out call may or may not have taken effect.


@contextmanager
def job_locked(client: pyriver.Client, database: Database, job_id: int) -> Iterator[threading.Event]:
    """Hold the job's row lock in another thread's transaction until the
    event this yields is set (or the block ends)."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with client.transaction() as tx:
            tx.execute(_lock_sql(database), job_id)
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        yield release
    finally:
        release.set()
        holder.join()


def _lock_sql(database: Database) -> str:
    """A statement that takes the job's row lock until the transaction ends
    (on SQLite, the transaction's write lock on the whole file)."""
    if database.driver == "postgres":
        return "SELECT id FROM river_job WHERE id = $1 FOR UPDATE"
    return "UPDATE river_job SET priority = priority WHERE id = ?"
