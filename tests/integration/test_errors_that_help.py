"""Errors say what was asked for and what to do."""

from __future__ import annotations

import pytest

import pyriver
from pgserver import PostgresServer
from pyriver import QueueConfig, Workers
from support.databases import Database
from support.jobargs import AnyKind


def test_not_found_names_the_job_or_queue(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.NotFoundError, match="job 999 not found") as job:
        client.job_get(999)
    assert (job.value.id, job.value.name) == (999, None)
    with pytest.raises(pyriver.NotFoundError, match='queue "nowhere" not found') as queue:
        client.queue_pause("nowhere")
    assert (queue.value.id, queue.value.name) == (None, "nowhere")


def test_an_unmigrated_database_says_to_migrate(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        with pytest.raises(pyriver.DatabaseError, match=r"River's tables are missing: run client\.migrate\(\)"):
            client.insert(AnyKind("plain"))


def test_a_missing_database_is_named_first(postgres: PostgresServer) -> None:
    with pytest.raises(pyriver.DatabaseError) as info:
        # sslmode=prefer, libpq's default: pgx tries TLS first, which this server refuses.
        pyriver.Client(postgres.url("no_such_database").replace("?sslmode=disable", ""))
    message = str(info.value)
    assert 'database "no_such_database" does not exist' in message and "tls" not in message.lower()


def test_a_refused_connection_is_reported_once() -> None:
    with pytest.raises(pyriver.DatabaseError) as info:
        pyriver.Client("postgres://nobody@127.0.0.1:1/db")
    assert str(info.value).count("connection refused") == 1


def test_one_kind_rule_for_inserts_and_workers(client: pyriver.Client, database: Database) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as inserted:
        client.insert(AnyKind("e"))
    assert inserted.value.param == "kind"
    workers = Workers()
    workers.add("e", lambda job: None)
    with pytest.raises(pyriver.InvalidArgumentError) as registered:
        pyriver.Client(database.url, workers=workers, queues={"default": QueueConfig(max_workers=1)})
    assert registered.value.param == "workers"
