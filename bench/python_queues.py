"""pyriver beside native Go River and the Python job queues people pick for
working jobs (pgqueuer, procrastinate, oban-py): enqueueing, and no-op and
I/O-bound jobs worked end to end with the same concurrency, on the same
PostgreSQL server, in interleaved repetitions (medians).

The other libraries run from bench/peers.py in their own processes; oban-py
in the Python 3.12 interpreter the Makefile gives it (``--oban-python``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyriver
from workloads import IO_SECONDS, Bench, native_go, pyriver_work

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / "peers.py"
REPETITIONS = 3
CONCURRENCY = 100
FETCH_COOLDOWN = 0.01
# README's high-throughput profile: River's shortest fetch cooldown, and more
# slots per queue, which cost an async handler nothing but a task.
PROFILE_COOLDOWN = 0.001
PROFILE_CONCURRENCY = 300
SYSTEMS = ("pyriver", "native Go", "pgqueuer", "procrastinate", "oban-py")
PEER_NAMES = {"pgqueuer": "pgqueuer", "procrastinate": "procrastinate", "oban-py": "oban"}
PEER_SETTINGS = {
    "pyriver": "sync handlers in a thread per worker slot; async handlers as tasks on one event loop",
    "pgqueuer": "asyncpg, batch_size 50, max_concurrent_tasks 100; a sync handler through "
    "asyncio.to_thread (pgqueuer 1.x takes async entrypoints only)",
    "procrastinate": "psycopg, worker concurrency 100, listen/notify; sync tasks in threads",
    "oban-py": "psycopg pool, queue limit 100; a sync function job is called on the event loop",
}


@dataclass(frozen=True)
class Case:
    metric: str
    mode: str  # enqueue-single, enqueue-batch or work
    handler: str = ""  # noop-sync, noop-async, io-async, io-sync
    systems: tuple[str, ...] = SYSTEMS
    concurrency: int = CONCURRENCY  # worker slots, or the peer's concurrent tasks
    fetch_cooldown: float = FETCH_COOLDOWN  # River's, for pyriver and native Go


CASES = (
    Case("enqueue, one job per call", "enqueue-single", systems=("pyriver", "native Go", *PEER_NAMES)),
    Case("enqueue, batches of 1,000", "enqueue-batch", systems=("pyriver", "native Go", *PEER_NAMES)),
    Case("no-op jobs, sync handler", "work", "noop-sync"),
    Case("no-op jobs, async handler", "work", "noop-async"),
    Case("10 ms I/O jobs, async handler", "work", "io-async"),
    Case("10 ms I/O jobs, sync handler", "work", "io-sync", systems=("pyriver", "native Go")),
    Case(
        f"no-op jobs, async handler, {PROFILE_CONCURRENCY} concurrent, 1 ms cooldown",
        "work",
        "noop-async",
        systems=("pyriver", "native Go", "pgqueuer"),
        concurrency=PROFILE_CONCURRENCY,
        fetch_cooldown=PROFILE_COOLDOWN,
    ),
)


@dataclass
class Result:
    metric: str
    rates: dict[str, list[float]] = field(default_factory=dict)

    def median(self, system: str) -> float | None:
        values = self.rates.get(system)
        return statistics.median(values) if values else None


# --- pyriver -----------------------------------------------------------------------


def pyriver_enqueue(url: str, count: int, batch: int) -> float:
    with pyriver.Client(url) as client:
        client.insert(Bench(-1))  # warm-up, as every system gets
        started = time.perf_counter()
        if batch == 1:
            for n in range(count):
                client.insert(Bench(n))
        else:
            for start in range(0, count, batch):
                client.insert_many([Bench(n) for n in range(start, min(start + batch, count))])
        return time.perf_counter() - started


# --- the others --------------------------------------------------------------------


def go_run(url: str, case: Case, count: int, batch: int) -> float:
    mode = {"enqueue-single": "insert", "enqueue-batch": "insert-many", "work": "work"}[case.mode]
    flags: dict[str, object] = {
        "batch": batch,
        "workers": case.concurrency,
        "fetch-cooldown": f"{case.fetch_cooldown * 1_000_000:.0f}us",
    }
    if case.handler.startswith("io-"):
        flags["job-sleep"] = f"{int(IO_SECONDS * 1000)}ms"
    result = native_go(url, mode, count, flags)
    return result["handled_seconds"] if case.mode == "work" else result["seconds"]


def peer_run(python: str, system: str, url: str, case: Case, count: int, batch: int) -> float:
    args = [python, str(PEERS), PEER_NAMES[system], case.mode, url, str(count), "--batch", str(batch)]
    if case.mode == "work":
        args += ["--handler", case.handler, "--concurrency", str(case.concurrency)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=1_800)
    if result.returncode != 0:
        raise RuntimeError(f"{system} {case.metric}: {result.stderr[-3000:]}")
    return float(json.loads(result.stdout)["seconds"])


# --- the run -----------------------------------------------------------------------


def measure(
    fresh_database: Callable[[], str],
    enqueue_jobs: int,
    work_jobs: int,
    oban_python: str | None,
    repetitions: int = REPETITIONS,
) -> list[Result]:
    """Every case for every system, ``repetitions`` times, interleaved so
    that drift in this machine's speed spreads over all systems alike."""
    results = {case.metric: Result(case.metric) for case in CASES}
    for _ in range(repetitions):
        for case in CASES:
            count = work_jobs if case.mode == "work" else enqueue_jobs
            batch = 1 if case.mode == "enqueue-single" else 1_000
            for system in case.systems:
                url = fresh_database()
                if system == "pyriver":
                    if case.mode == "work":
                        seconds = pyriver_work(
                            url, count, case.handler, slots=case.concurrency, fetch_cooldown=case.fetch_cooldown
                        ).handled
                    else:
                        seconds = pyriver_enqueue(url, count, batch)
                elif system == "native Go":
                    seconds = go_run(url, case, count, batch)
                elif system == "oban-py" and oban_python is None:
                    continue
                else:
                    python = oban_python if system == "oban-py" else sys.executable
                    assert python is not None
                    seconds = peer_run(python, system, url, case, count, batch)
                results[case.metric].rates.setdefault(system, []).append(count / seconds)
                print(f"{case.metric:<32} {system:<14} {count / seconds:>10,.0f} jobs/s", flush=True)
    return list(results.values())


def versions(oban_python: str | None) -> dict[str, str]:
    from importlib.metadata import version

    found = {name: version(name) for name in ("pgqueuer", "procrastinate")}
    if oban_python is not None:
        script = (
            "from importlib.metadata import version; import platform; print(version('oban'), platform.python_version())"
        )
        oban, python = subprocess.run([oban_python, "-c", script], capture_output=True, text=True).stdout.split()
        found["oban-py"] = f"{oban} (Python {python})"
    return found


def table(results: list[Result]) -> str:
    lines = [
        "| jobs/s (median) | " + " | ".join(SYSTEMS) + " | pyriver / Go | pyriver / best Python peer |",
        "| --- | " + " | ".join("---:" for _ in SYSTEMS) + " | ---: | ---: |",
    ]
    for result in results:
        cells = [f"{value:,.0f}" if (value := result.median(s)) is not None else "—" for s in SYSTEMS]
        ours, go = result.median("pyriver"), result.median("native Go")
        peers = [v for s in PEER_NAMES if (v := result.median(s)) is not None]
        to_go = f"{ours / go:.2f}×" if ours and go else ""
        to_peer = f"{ours / max(peers):.2f}×" if ours and peers else ""
        lines.append(f"| {result.metric} | " + " | ".join(cells) + f" | {to_go} | {to_peer} |")
    return "\n".join(lines)


def chart(results: list[Result], out: Path) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(11, 4.8))
    width = 0.16
    for offset, system in enumerate(SYSTEMS):
        values = [result.median(system) or 0 for result in results]
        positions = [i + (offset - 2) * width for i in range(len(results))]
        axes.bar(positions, values, width, label=system)
    axes.set_xticks(range(len(results)), [r.metric for r in results], rotation=15, ha="right")
    axes.set_ylabel("jobs/s")
    axes.set_yscale("log")
    axes.set_title(
        f"Python job queues on PostgreSQL, concurrency {CONCURRENCY} unless named (higher is better, log scale)"
    )
    axes.legend()
    figure.tight_layout()
    name = "python-queues.png"
    figure.savefig(out / name, dpi=110)
    plt.close(figure)
    return name


def as_dicts(results: list[Result]) -> list[dict[str, Any]]:
    return [{"metric": r.metric, "rates": r.rates} for r in results]
