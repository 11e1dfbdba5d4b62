"""One client shared by many threads, and the GIL released inside Go."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyriver
from support.databases import SLOW_QUERY, Database
from support.jobargs import Resize


def test_eight_threads_insert_and_list_with_one_client(client: pyriver.Client) -> None:
    per_thread = 40

    def work(thread: int) -> list[int]:
        ids = []
        for n in range(per_thread):
            ids.append(client.insert(Resize(thread * 1000 + n)).job.id)
            if n % 10 == 0:
                client.job_list(kinds=["resize"], limit=50)
        return ids

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    all_ids = [job_id for ids in results for job_id in ids]
    assert len(set(all_ids)) == 8 * per_thread
    listed = client.job_list(kinds=["resize"], limit=1000).jobs
    assert sorted(job.args["width"] for job in listed) == sorted(
        t * 1000 + n for t in range(8) for n in range(per_thread)
    )


def test_python_threads_run_while_a_call_is_inside_go(client: pyriver.Client, database: Database) -> None:
    """If the GIL were held during the call, the ticker could not advance."""
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        time.sleep(0.05)
        before = ticks
        with client.transaction() as tx:
            tx.query(SLOW_QUERY[database.driver])
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert during >= 20


def test_calls_from_threads_overlap_inside_go(postgres) -> None:  # type: ignore[no-untyped-def]
    """Four half-second server-side sleeps from four threads finish together,
    which they could not if each call held the GIL."""
    with pyriver.Client(postgres.url() + "&pool_max_conns=8") as client:

        def sleep_in_go(_: int) -> tuple[float, float]:
            started = time.monotonic()
            with client.transaction() as tx:
                tx.query("SELECT pg_sleep(0.5)")
            return started, time.monotonic()

        with ThreadPoolExecutor(4) as pool:
            spans = list(pool.map(sleep_in_go, range(4)))
    latest_start = max(start for start, _ in spans)
    earliest_end = min(end for _, end in spans)
    assert latest_start < earliest_end, f"calls did not overlap: {spans}"
