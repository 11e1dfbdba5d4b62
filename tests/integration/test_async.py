"""AsyncClient: coroutines that never block the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

import pyriver
from support.databases import SLOW_QUERY, Database
from support.jobargs import Resize, SendEmail

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def test_async_client_operations(database: Database) -> None:
    async def main() -> None:
        async with pyriver.AsyncClient(database.url) as client:
            assert await client.migrate()
            inserted = await client.insert(SendEmail("a"))
            assert (await client.job_get(inserted.job.id)).args == {"to": "a", "subject": "hello"}
            results = await asyncio.gather(*(client.insert(Resize(n)) for n in range(50)))
            assert len({r.job.id for r in results}) == 50
            page = await client.job_list(kinds=["resize"], limit=100)
            assert sorted(job.args["width"] for job in page.jobs) == list(range(50))
            assert (await client.job_cancel(inserted.job.id)).state is pyriver.JobState.CANCELLED
            with pytest.raises(pyriver.NotFoundError):
                await client.job_get(10**9)
        with pytest.raises(pyriver.ClientClosedError):
            await client.insert(SendEmail("late"))

    run(main())


def test_async_transaction_rolls_back_on_exception(database: Database) -> None:
    async def main() -> None:
        async with pyriver.AsyncClient(database.url) as client:
            await client.migrate()
            with pytest.raises(KeyError):
                async with client.transaction() as tx:
                    await tx.insert(SendEmail("doomed"))
                    raise KeyError("boom")
            async with client.transaction() as tx:
                await tx.insert(SendEmail("kept"))
            assert [job.args["to"] for job in (await client.job_list()).jobs] == ["kept"]

    run(main())


def test_event_loop_keeps_running_during_a_slow_call(database: Database) -> None:
    async def main() -> int:
        async with pyriver.AsyncClient(database.url) as client:
            await client.migrate()
            ticks = 0
            done = asyncio.Event()

            async def ticker() -> None:
                nonlocal ticks
                while not done.is_set():
                    ticks += 1
                    await asyncio.sleep(0.001)

            ticking = asyncio.create_task(ticker())
            async with client.transaction() as tx:
                await tx.query(SLOW_QUERY[database.driver])
            done.set()
            await ticking
            return ticks

    assert run(main()) >= 20


def test_async_client_works_jobs_and_streams_events(database: Database) -> None:
    workers = pyriver.Workers()

    async def resize(job: pyriver.Job[Resize]) -> dict[str, int]:
        await asyncio.sleep(0)
        return {"doubled": job.args.width * 2}

    workers.add(Resize, resize)
    queues = {"default": pyriver.QueueConfig(max_workers=4)}

    async def main() -> None:
        async with pyriver.AsyncClient(database.url, workers=workers, queues=queues, fetch_poll_interval=0.1) as client:
            await client.migrate()
            events = await client.subscribe("job_completed")
            running = asyncio.create_task(client.run())
            job = (await client.insert(Resize(21))).job
            async for event in events:
                if event.job is not None and event.job.id == job.id:
                    break
            running.cancel()  # run() stops gracefully when cancelled
            with pytest.raises(asyncio.CancelledError):
                await running
            done = await client.job_get(job.id)
            assert done.state is pyriver.JobState.COMPLETED and done.output == {"doubled": 42}
            assert client.periodic_jobs is not None

    run(main())
