"""What every benchmark shares: the job args (the same kind and JSON,
{"n": int}, from pyriver, riverqueue-python and Go's BenchArgs in
go/cmd/pyriver-bench), working such jobs with pyriver, and running the
native Go program."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyriver

GO_BENCH = Path(__file__).resolve().parent.parent / "bin" / "pyriver-bench"
IO_SECONDS = 0.01
"""How long an I/O-bound job waits (the ``io-*`` handlers)."""


@dataclass
class Bench:
    n: int
    kind: str = "bench"

    def to_json(self) -> str:
        return json.dumps({"n": self.n})


@dataclass(frozen=True)
class WorkTimes:
    """Seconds from the client's start until the last handler returned
    (``handled``) and until the client had stopped, every completion
    persisted (``total``)."""

    handled: float
    total: float


def pyriver_work(url: str, count: int, handler: str = "noop-sync", slots: int = 100, **options: Any) -> WorkTimes:
    """Insert ``count`` jobs, then work them with ``slots`` workers and a
    handler that does nothing (``noop-*``) or waits ``IO_SECONDS``
    (``io-*``), sync or ``async def``. The fetch cooldown is 10 ms unless
    ``options`` say otherwise."""
    done = threading.Event()
    lock = threading.Lock()
    remaining = count

    def one_done() -> None:
        nonlocal remaining
        with lock:
            remaining -= 1
            if remaining == 0:
                done.set()

    def sync_handler(job: pyriver.Job[Any]) -> None:
        if handler == "io-sync":
            time.sleep(IO_SECONDS)
        one_done()

    async def async_handler(job: pyriver.Job[Any]) -> None:
        if handler == "io-async":
            await asyncio.sleep(IO_SECONDS)
        one_done()

    workers = pyriver.Workers()
    workers.add("bench", async_handler if handler.endswith("-async") else sync_handler)
    options.setdefault("fetch_cooldown", 0.01)
    queues = {"default": pyriver.QueueConfig(max_workers=slots)}
    with pyriver.Client(url, workers=workers, queues=queues, **options) as client:
        for start in range(0, count, 1_000):
            client.insert_many_fast([Bench(n) for n in range(start, min(start + 1_000, count))])
        started = time.perf_counter()
        client.start()
        done.wait(600)
        handled = time.perf_counter() - started
        client.stop()
        return WorkTimes(handled, time.perf_counter() - started)


def native_go(url: str, mode: str, count: int, flags: dict[str, object] | None = None) -> dict[str, float]:
    """Run bin/pyriver-bench and return what it reports (``seconds``,
    ``handled_seconds``, ``cpu_seconds``)."""
    args = [str(GO_BENCH), "-database-url", url, "-mode", mode, "-count", str(count)]
    for name, value in (flags or {}).items():
        args += [f"-{name}", str(value)]
    result = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    return {name: float(value) for name, value in result.items()}
