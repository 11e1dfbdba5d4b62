"""Queue operations. Queue rows are normally created by River's producers
when a client works a queue; here the test creates them with SQL."""

from __future__ import annotations

import json

import pytest

import pyriver


@pytest.fixture
def queues(client: pyriver.Client) -> list[str]:
    names = ["alpha", "beta"]
    with client.transaction() as tx:
        for name in names:
            tx.execute(f"INSERT INTO river_queue (name, updated_at) VALUES ('{name}', CURRENT_TIMESTAMP)")
    return names


def test_queue_get_and_list(client: pyriver.Client, queues: list[str]) -> None:
    queue = client.queue_get("alpha")
    assert queue.name == "alpha" and queue.paused_at is None and queue.created_at.tzinfo is not None
    assert [q.name for q in client.queue_list()] == queues
    assert [q.name for q in client.queue_list(limit=1)] == queues[:1]


def test_queue_get_missing_raises_not_found(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.NotFoundError):
        client.queue_get("nope")


def test_pause_and_resume(client: pyriver.Client, queues: list[str]) -> None:
    client.queue_pause("alpha")
    assert client.queue_get("alpha").paused_at is not None
    assert client.queue_get("beta").paused_at is None
    client.queue_resume("alpha")
    assert client.queue_get("alpha").paused_at is None
    client.queue_pause("*")
    assert all(q.paused_at is not None for q in client.queue_list())


def test_pause_missing_queue_raises_not_found(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.NotFoundError):
        client.queue_pause("nope")


def test_queue_update_metadata(client: pyriver.Client, queues: list[str]) -> None:
    updated = client.queue_update("beta", metadata={"owner": "team-a", "n": 3})
    assert json.loads(updated.metadata) == {"owner": "team-a", "n": 3}
    assert json.loads(client.queue_get("beta").metadata) == {"owner": "team-a", "n": 3}
    with pytest.raises(pyriver.InvalidArgumentTypeError, match="metadata"):
        client.queue_update("beta", metadata=["not", "a", "dict"])  # type: ignore[arg-type]
