"""riverqueue-python's documented flows run against pyriver with only the
client construction changed, using riverqueue-python's own option classes."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import riverqueue
import sqlalchemy
from sqlalchemy.ext.asyncio import create_async_engine

import pyriver
from support.appconns import postgres_dsn
from support.databases import Database


@dataclass
class SortArgs:
    """riverqueue-python's example args: a ``kind`` and a ``to_json()``."""

    strings: list[str]
    kind: str = "sort"

    def to_json(self) -> str:
        return json.dumps({"strings": self.strings})


def test_insert_with_riverqueue_options(client: pyriver.Client) -> None:
    insert_res = client.insert(
        SortArgs(strings=["whale", "tiger", "bear"]),
        insert_opts=riverqueue.InsertOpts(max_attempts=17, priority=3, queue="my_queue", tags=["custom"]),
    )
    job = insert_res.job
    assert (job.max_attempts, job.priority, job.queue, job.tags) == (17, 3, "my_queue", ["custom"])
    assert not insert_res.unique_skipped_as_duplicated


def test_unique_insert_with_riverqueue_options(client: pyriver.Client) -> None:
    opts = riverqueue.InsertOpts(unique_opts=riverqueue.UniqueOpts(by_args=True, by_period=900, by_queue=True))
    first = client.insert(SortArgs(strings=["whale"]), insert_opts=opts)
    again = client.insert(SortArgs(strings=["whale"]), insert_opts=opts)
    assert again.unique_skipped_as_duplicated and again.job.id == first.job.id


def test_insert_many_with_per_item_riverqueue_params(client: pyriver.Client) -> None:
    results = client.insert_many(
        [
            SortArgs(strings=["whale", "tiger", "bear"]),
            riverqueue.InsertManyParams(
                SortArgs(strings=["lion"]), insert_opts=riverqueue.InsertOpts(queue="high_priority")
            ),
        ]
    )
    assert [result.job.queue for result in results] == ["default", "high_priority"]


def test_insert_tx_in_a_sqlalchemy_transaction(postgres_database: Database) -> None:
    engine = sqlalchemy.create_engine(postgres_dsn(postgres_database).replace("postgresql://", "postgresql+psycopg://"))
    with pyriver.Client(postgres_database.url) as client:
        with engine.begin() as session:
            client.insert_tx(session, SortArgs(strings=["whale"]))
            client.insert_many_tx(session, [SortArgs(strings=["tiger"])])
        assert len(client.job_list().jobs) == 2
    engine.dispose()


def test_async_forms(postgres_database: Database) -> None:
    async def main() -> None:
        engine = create_async_engine(postgres_dsn(postgres_database).replace("postgresql://", "postgresql+psycopg://"))
        async with pyriver.AsyncClient(postgres_database.url) as client:
            inserted = await client.insert(SortArgs(strings=["a"]), insert_opts=riverqueue.InsertOpts(queue="q"))
            assert inserted.job.queue == "q"
            await client.insert_many([riverqueue.InsertManyParams(SortArgs(strings=["b"]))])
            async with engine.begin() as session:
                await client.insert_tx(session, SortArgs(strings=["c"]))
                await client.insert_many_tx(session, [SortArgs(strings=["d"])])
            assert len((await client.job_list()).jobs) == 4
        await engine.dispose()

    asyncio.run(main())
