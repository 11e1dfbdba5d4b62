"""Inserting and reading jobs through the real River client, on both drivers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import pyriver
from pyriver import InsertOpts, JobState
from support.jobargs import SendEmail, Sort


def test_insert_then_get_returns_the_same_row(client: pyriver.Client) -> None:
    inserted = client.insert(SendEmail(to="ünï@example.com"))
    assert not inserted.unique_skipped_as_duplicate

    job = client.job_get(inserted.job.id)
    assert job == inserted.job
    assert job.kind == "send_email"
    assert job.args == {"to": "ünï@example.com", "subject": "hello"}
    assert json.loads(job.encoded_args) == job.args
    assert job.state is JobState.AVAILABLE
    assert job.queue == "default"
    assert job.priority == 1
    assert job.max_attempts == 25
    assert job.attempt == 0
    assert job.attempted_at is None and job.finalized_at is None
    assert job.errors == [] and job.tags == []
    assert job.created_at.tzinfo is not None and job.created_at.utcoffset() == timedelta(0)
    assert abs(job.created_at - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_insert_opts_reach_the_row(client: pyriver.Client) -> None:
    scheduled_at = datetime(2031, 1, 2, 3, 4, 5, 678000, tzinfo=timezone(timedelta(hours=2)))
    opts = InsertOpts(
        max_attempts=3,
        metadata={"source": "test"},
        priority=4,
        queue="mail",
        scheduled_at=scheduled_at,
        tags=["welcome", "new-user"],
    )
    job = client.insert(Sort(["b", "a"]), opts).job
    assert (job.kind, job.max_attempts, job.priority, job.queue) == ("sort", 3, 4, "mail")
    assert job.state is JobState.SCHEDULED
    assert job.scheduled_at == scheduled_at
    assert job.tags == ["welcome", "new-user"]
    assert json.loads(job.metadata)["source"] == "test"
    assert job.args == {"strings": ["b", "a"]}


def test_pending_insert(client: pyriver.Client) -> None:
    assert client.insert(SendEmail(to="a"), InsertOpts(pending=True)).job.state is JobState.PENDING


def test_unique_insert_returns_the_existing_job(client: pyriver.Client) -> None:
    opts = InsertOpts(unique_opts=pyriver.UniqueOpts(by_args=True))
    first = client.insert(SendEmail(to="same"), opts)
    second = client.insert(SendEmail(to="same"), opts)
    other = client.insert(SendEmail(to="other"), opts)
    assert second.unique_skipped_as_duplicate and second.job.id == first.job.id
    assert not other.unique_skipped_as_duplicate
    assert first.job.unique_key is not None and len(first.job.unique_key) == 32


def test_job_get_missing_raises_not_found(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.NotFoundError):
        client.job_get(424242)


def test_closed_client_raises(database) -> None:  # type: ignore[no-untyped-def]
    with pyriver.Client(database.url) as client:
        client.migrate()
    with pytest.raises(pyriver.ClientClosedError, match="closed"):
        client.insert(SendEmail(to="late"))
    client.close()  # idempotent


def test_migrate_twice_is_a_noop(database) -> None:  # type: ignore[no-untyped-def]
    with pyriver.Client(database.url) as client:
        applied = client.migrate()
        assert applied and applied == sorted(applied)
        assert client.migrate() == []


def test_a_client_on_postgresqls_unix_socket_inserts_and_reads(postgres) -> None:  # type: ignore[no-untyped-def]
    """Python's calls wait for PostgreSQL on their own thread (go/internal/
    threadconn); a local server is often reached through its socket file."""
    postgres.psql("CREATE DATABASE over_unix_socket")
    url = f"postgres://postgres@/over_unix_socket?host={postgres.root}&port={postgres.port}&sslmode=disable"
    with pyriver.Client(url) as client:
        client.migrate()
        inserted = client.insert(Sort(strings=["b", "a"]))
        assert client.job_get(inserted.job.id) == inserted.job
        with client.transaction() as tx:
            rolled_back = tx.insert(Sort(strings=["c"])).job.id
            tx.rollback()
        with pytest.raises(pyriver.NotFoundError):
            client.job_get(rolled_back)
