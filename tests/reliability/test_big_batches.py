"""Big batches reach River in chunks, and stay all or nothing. On the
client, chunks of a batch of more than 250 jobs are queued in Go while Python encodes
the next (job.insert_many_send)."""

from __future__ import annotations

from typing import Any

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


@pytest.mark.parametrize("method", ["insert_many", "insert_many_fast"])
def test_a_job_that_cannot_be_encoded_in_a_late_chunk_writes_none_of_the_batch(
    client: pyriver.Client, database: Database, method: str
) -> None:
    jobs: list[Any] = [AnyKind("batch", n=n) for n in range(3_500)] + [object()]
    with pytest.raises(pyriver.InvalidArgumentTypeError) as raised:
        getattr(client, method)(jobs)
    assert raised.value.param == "args"
    assert database.job_count() == 0
    # the transaction of the chunks already sent is over: the client is free
    assert client.insert(AnyKind("after", n=1)).job.kind == "after"


def test_a_batch_given_as_a_generator_reaches_river_whole(client: pyriver.Client) -> None:
    results = client.insert_many(AnyKind("batch", n=n) for n in range(2_500))
    assert [result.job.args["n"] for result in results] == list(range(2_500))
    assert results[1_999].job == client.job_get(results[1_999].job.id)
    assert client.insert_many_fast(AnyKind("fast", n=n) for n in range(2_500)) == 2_500


def test_the_same_unique_job_in_two_chunks_is_inserted_once(client: pyriver.Client) -> None:
    unique = pyriver.InsertOpts(unique_opts=pyriver.UniqueOpts(by_args=True))
    jobs: list[Any] = [
        (AnyKind("unique", n=0), unique),
        *(AnyKind("batch", n=n) for n in range(1, 1_500)),
        (AnyKind("unique", n=0), unique),
    ]
    results = client.insert_many(jobs)
    assert not results[0].unique_skipped_as_duplicate
    assert results[-1].unique_skipped_as_duplicate
    assert results[-1].job.id == results[0].job.id
