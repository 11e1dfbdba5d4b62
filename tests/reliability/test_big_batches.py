"""Big batches reach River in chunks, and stay all or nothing."""

from __future__ import annotations

import pytest

import pyriver
from pyriver._operations import INSERT_CHUNK_SIZE
from support.databases import Database
from support.jobargs import AnyKind


def test_a_batch_of_several_chunks_returns_every_result_in_order(client: pyriver.Client) -> None:
    count = 2 * INSERT_CHUNK_SIZE + 7
    results = client.insert_many([AnyKind("batch", n=n) for n in range(count)])
    assert [result.job.args["n"] for result in results] == list(range(count))
    assert client.insert_many_fast([AnyKind("fast", n=n) for n in range(count)]) == count


class NotJSON:
    """Args whose JSON only Go checks: the chunk holding them fails in Go."""

    kind = "broken"

    def to_json(self) -> str:
        return "{not json"


@pytest.mark.parametrize("method", ["insert_many", "insert_many_fast"])
def test_a_failure_in_a_late_chunk_writes_none_of_the_batch(
    client: pyriver.Client, database: Database, method: str
) -> None:
    jobs = [AnyKind("batch", n=n) for n in range(2 * INSERT_CHUNK_SIZE)] + [NotJSON()]
    with pytest.raises(pyriver.InvalidArgumentError):
        getattr(client, method)(jobs)
    assert database.job_count() == 0


def test_chunks_join_the_callers_transaction(client: pyriver.Client, database: Database) -> None:
    with client.transaction() as tx:
        tx.insert_many([AnyKind("batch", n=n) for n in range(INSERT_CHUNK_SIZE + 1)])
        tx.rollback()
    assert database.job_count() == 0
