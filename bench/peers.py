"""The Python job queues pyriver is compared with, driven the same way:
pgqueuer, procrastinate and oban-py, each from PyPI, on the benchmark's
PostgreSQL server.

One measurement per run, printed as JSON (``{"seconds": ...}``), so that
each library runs in a fresh process and in its own interpreter (oban-py
needs Python 3.12 or later):

    python bench/peers.py pgqueuer enqueue-single URL COUNT
    python bench/peers.py procrastinate enqueue-batch URL COUNT --batch 1000
    python bench/peers.py oban work URL COUNT --handler noop-async --concurrency 100

Handlers: ``noop-sync`` (a plain ``def``, run as the library runs one),
``noop-async`` and ``io-async`` (``await asyncio.sleep(0.01)``). Work is
timed from the worker's start until the last job's handler returned; the
jobs are enqueued first, untimed. Each library installs its own schema in
the (fresh) database it is given and runs with the settings its
documentation gives for throughput (bench/python_queues.py states them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

IO_SECONDS = 0.01


class Finish:
    """Counts handled jobs; ``done`` is set once the last one is handled."""

    def __init__(self, count: int) -> None:
        self.remaining = count
        self.done = asyncio.Event()
        self.loop = asyncio.get_running_loop()

    def one(self) -> None:
        """One job handled, on the event loop."""
        self.remaining -= 1
        if self.remaining == 0:
            self.done.set()

    def one_from_thread(self) -> None:
        self.loop.call_soon_threadsafe(self.one)


def async_handler(name: str, finish: Finish) -> Callable[[], Awaitable[None]]:
    async def handle() -> None:
        if name == "io-async":
            await asyncio.sleep(IO_SECONDS)
        finish.one()

    return handle


def chunks(count: int, size: int) -> list[int]:
    return [min(size, count - start) for start in range(0, count, size)]


def postgresql_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


# --- pgqueuer --------------------------------------------------------------------


async def pgqueuer_run(mode: str, url: str, count: int, batch: int, handler: str, concurrency: int) -> float:
    import asyncpg
    from pgqueuer import PgQueuer, Queries
    from pgqueuer.db import AsyncpgDriver
    from pgqueuer.types import QueueExecutionMode

    connection = await asyncpg.connect(postgresql_url(url))
    queries = Queries(AsyncpgDriver(connection))
    await queries.install()

    async def enqueue(size: int) -> None:
        await queries.enqueue(["bench"] * size, [None] * size, [0] * size)

    if mode != "work":
        return await timed_enqueue(enqueue, count, batch if mode == "enqueue-batch" else 1)
    for size in chunks(count, 1_000):
        await enqueue(size)
    finish = Finish(count)
    asynchronous = async_handler(handler, finish)
    worker_connection = await asyncpg.connect(postgresql_url(url))
    pgq = PgQueuer(AsyncpgDriver(worker_connection))

    if handler == "noop-sync":

        @pgq.entrypoint("bench")
        async def bench_sync(job: Any) -> None:
            await asyncio.to_thread(finish.one_from_thread)
    else:

        @pgq.entrypoint("bench")
        async def bench_async(job: Any) -> None:
            await asynchronous()

    started = time.perf_counter()
    run = asyncio.create_task(
        pgq.run(batch_size=min(50, concurrency // 2), max_concurrent_tasks=concurrency, mode=QueueExecutionMode.drain)
    )
    await finish.done.wait()
    elapsed = time.perf_counter() - started
    await run
    await worker_connection.close()
    await connection.close()
    return elapsed


# --- procrastinate ---------------------------------------------------------------


async def procrastinate_run(mode: str, url: str, count: int, batch: int, handler: str, concurrency: int) -> float:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=postgresql_url(url)))
    finish = Finish(count)
    asynchronous = async_handler(handler, finish)
    if handler == "noop-sync":

        @app.task(name="bench")
        def bench_sync() -> None:
            finish.one_from_thread()
    else:

        @app.task(name="bench")
        async def bench_async() -> None:
            await asynchronous()

    task = app.tasks["bench"]
    async with app.open_async():
        await app.schema_manager.apply_schema_async()

        async def enqueue(size: int) -> None:
            if size == 1:
                await task.defer_async()
            else:
                await task.batch_defer_async(*([{}] * size))

        if mode != "work":
            return await timed_enqueue(enqueue, count, batch if mode == "enqueue-batch" else 1)
        for size in chunks(count, 1_000):
            await enqueue(size)
        started = time.perf_counter()
        worker = asyncio.create_task(app.run_worker_async(concurrency=concurrency, wait=False))
        await finish.done.wait()
        elapsed = time.perf_counter() - started
        await worker
        return elapsed


# --- oban-py ---------------------------------------------------------------------


async def oban_run(mode: str, url: str, count: int, batch: int, handler: str, concurrency: int) -> float:
    from oban import Oban, job
    from oban.schema import install

    pool = await Oban.create_pool(postgresql_url(url).split("?")[0], max_size=10)
    await install(pool)
    finish = Finish(count)
    asynchronous = async_handler(handler, finish)

    def bench_sync() -> None:
        finish.one()  # oban-py calls a sync function job on the event loop

    async def bench_async() -> None:
        await asynchronous()

    bench = job(queue="default")(bench_sync if handler == "noop-sync" else bench_async)
    client = Oban(pool=pool, name="bench-client")

    async def enqueue(size: int) -> None:
        await client.enqueue_many([bench.new() for _ in range(size)])

    if mode != "work":
        elapsed = await timed_enqueue(enqueue, count, batch if mode == "enqueue-batch" else 1)
    else:
        for size in chunks(count, 1_000):
            await enqueue(size)
        server = Oban(pool=pool, queues={"default": concurrency})
        started = time.perf_counter()
        await server.start()
        await finish.done.wait()
        elapsed = time.perf_counter() - started
        await server.stop()
    await pool.close()
    return elapsed


async def timed_enqueue(enqueue: Callable[[int], Awaitable[None]], count: int, size: int) -> float:
    await enqueue(1)  # warm-up: connections, prepared statements
    started = time.perf_counter()
    for chunk in chunks(count, size):
        await enqueue(chunk)
    return time.perf_counter() - started


RUNNERS = {"pgqueuer": pgqueuer_run, "procrastinate": procrastinate_run, "oban": oban_run}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("system", choices=sorted(RUNNERS))
    parser.add_argument("mode", choices=["enqueue-single", "enqueue-batch", "work"])
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--handler", choices=["noop-sync", "noop-async", "io-async"], default="noop-async")
    parser.add_argument("--concurrency", type=int, default=100)
    options = parser.parse_args()
    runner = RUNNERS[options.system]
    seconds = asyncio.run(
        runner(options.mode, options.url, options.count, options.batch, options.handler, options.concurrency)
    )
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
