"""pyriver side by side with native Go River, riverqueue-python and the
Python job queues (pgqueuer, procrastinate, oban-py).

Runs every measurement in one run against one throwaway PostgreSQL server
(and SQLite files where they apply), writes docs/benchmarks.md with the
figures, their ratios and the environment, and charts in docs/bench/.

    PYTHONPATH=tools python bench/harness.py [--oban-python PY3.12]   # the full run (make bench)
    PYTHONPATH=tools python bench/harness.py --smoke    # seconds-long, to keep the harness working (make test)

Each measurement gets a fresh, migrated database, so no run sees another's
jobs. Rates are jobs per second of wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyriver
from pgserver import PostgresServer
from workloads import Bench, native_go, pyriver_work
import otel_overhead
import python_queues

ROOT = Path(__file__).resolve().parent.parent

BIN = ROOT / "bin"


@dataclass(frozen=True)
class Sizes:
    single: int
    batches: tuple[int, ...]
    batch_jobs: int
    fast_jobs: int
    latency_samples: int
    work_jobs: int
    rss_jobs: int
    big_batch: int
    roundtrip_calls: int
    peer_enqueue_jobs: int
    peer_work_jobs: int
    idle_seconds: int
    comparisons: int
    """How many times the rows that carry a target (inserts against Go and
    riverqueue-python) are measured, in turn; they report the medians."""


FULL = Sizes(
    single=3_000,
    batches=(100, 1_000, 10_000),
    batch_jobs=50_000,
    fast_jobs=100_000,
    latency_samples=300,
    work_jobs=20_000,
    rss_jobs=1_000_000,
    big_batch=200_000,
    roundtrip_calls=200_000,
    peer_enqueue_jobs=3_000,
    peer_work_jobs=10_000,
    idle_seconds=20,
    comparisons=3,
)
SMOKE = Sizes(
    single=20,
    batches=(10, 100),
    batch_jobs=200,
    fast_jobs=200,
    latency_samples=5,
    work_jobs=200,
    rss_jobs=2_000,
    big_batch=2_000,
    roundtrip_calls=1_000,
    peer_enqueue_jobs=20,
    peer_work_jobs=200,
    idle_seconds=1,
    comparisons=1,
)


class Databases:
    """Fresh migrated databases: PostgreSQL ones cloned from a migrated
    template (fast), SQLite ones migrated from scratch."""

    def __init__(self, postgres: PostgresServer, tmp: Path) -> None:
        self.postgres = postgres
        self.tmp = tmp
        self.count = 0
        postgres.psql("CREATE DATABASE bench_template")
        with pyriver.Client(postgres.url("bench_template")) as client:
            client.migrate()

    def fresh(self, driver: str) -> str:
        self.count += 1
        if driver == "postgres":
            name = f"bench_{self.count}"
            self.postgres.psql(f"CREATE DATABASE {name} TEMPLATE bench_template")
            return self.postgres.url(name)
        url = f"sqlite:///{self.tmp}/bench_{self.count}.db"
        with pyriver.Client(url) as client:
            client.migrate()
        return url


def timed(call: Callable[[Any], Any], items: list[Any]) -> float:
    """Seconds to call(item) for every item, dropping each result as a caller
    that does not keep them would (keeping them all would time Python's
    garbage collector scanning them)."""
    started = time.perf_counter()
    for item in items:
        call(item)
    return time.perf_counter() - started


def go_bench(url: str, mode: str, count: int, **flags: int) -> float:
    return native_go(url, mode, count, dict(flags))["seconds"]


def batches(count: int, size: int) -> list[list[Bench]]:
    return [[Bench(n) for n in range(start, min(start + size, count))] for start in range(0, count, size)]


# --- pyriver -----------------------------------------------------------------


WARM_UP = [Bench(-n) for n in range(1, 11)]
BUSY_POLL_US = 500
"""The busy polling of the "single insert, busy_poll" row, in microseconds."""


def pyriver_single(url: str, count: int, **options: Any) -> float:
    with pyriver.Client(url, **options) as client:
        client.insert_many(WARM_UP)
        return timed(client.insert, [Bench(n) for n in range(count)])


def pyriver_many(url: str, count: int, size: int, fast: bool = False, **options: Any) -> float:
    work = batches(count, size)
    with pyriver.Client(url, **options) as client:
        client.insert_many(WARM_UP)
        return timed(client.insert_many_fast if fast else client.insert_many, work)


def pyriver_idle_cpu(url: str, seconds: int) -> float:
    """Percent of one core a started client with 100 worker slots and no
    jobs uses, after its first 3 seconds."""
    workers = pyriver.Workers()
    workers.add("bench", lambda job: None)
    with pyriver.Client(url, workers=workers, queues={"default": pyriver.QueueConfig(max_workers=100)}) as client:
        client.start()
        time.sleep(3)
        before, started = time.process_time(), time.perf_counter()
        time.sleep(seconds)
        used, elapsed = time.process_time() - before, time.perf_counter() - started
        client.stop()
    return used / elapsed * 100


def go_idle_cpu(url: str, seconds: int) -> float:
    result = native_go(url, "idle", seconds, {"workers": 100})
    return result["cpu_seconds"] / result["seconds"] * 100


def roundtrip_us(calls: int) -> float:

    for _ in range(1_000):
        pyriver.ping()
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            pyriver.ping()
        samples.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(samples)


def latency_ms(url: str, samples: int) -> tuple[float, float]:
    """Insert from Python, one job at a time, with the Go worker already
    running; latency is from just before insert() to the worker starting."""

    @dataclass
    class Tally:
        n: int
        kind: str = "tally"

        def to_json(self) -> str:
            return json.dumps({"n": self.n})

    worker = subprocess.Popen([str(BIN / "pyriver-worker"), "-database-url", url], stdout=subprocess.PIPE, text=True)
    latencies = []
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        with pyriver.Client(url) as client:
            for n in range(samples + 5):
                sent = time.time()
                job_id = client.insert(Tally(n)).job.id
                while (job := client.job_get(job_id)).output is None:
                    time.sleep(0.0005)
                started = datetime.fromisoformat(job.output["started_at"][:26].rstrip("Z") + "+00:00").timestamp()
                if n >= 5:  # warm-up
                    latencies.append((started - sent) * 1000)
                time.sleep(0.12)  # past River's 100 ms fetch cooldown, as for a job arriving on its own
    finally:
        worker.terminate()
        worker.wait(30)
    latencies.sort()
    return statistics.median(latencies), latencies[max(0, int(len(latencies) * 0.95) - 1)]


def rss(url: str, jobs: int, big_batch: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "rss.py"), url, str(jobs), str(big_batch)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout))


def sqlalchemy_engine(url: str) -> Any:
    import sqlalchemy

    return sqlalchemy.create_engine(url.replace("postgres://", "postgresql+psycopg://", 1).split("?")[0])


def application_connection(url: str, framework: str) -> Any:
    """A psycopg 3 connection or a SQLAlchemy connection (on psycopg 3), as an
    application would hold."""
    if framework == "psycopg":
        import psycopg

        return psycopg.connect(url.replace("postgres://", "postgresql://", 1))
    return sqlalchemy_engine(url).connect()


def in_one_transaction(url: str, framework: str, insert: Callable[[Any, Any], Any], items: list[Any]) -> float:
    """Seconds to insert every item inside one application transaction,
    committed at the end, after a warm-up insert that is rolled back."""
    with application_connection(url, framework) as conn:
        insert(conn, items[0])
        conn.rollback()
        started = time.perf_counter()
        for item in items:
            insert(conn, item)
        conn.commit()
        return time.perf_counter() - started


def pyriver_insert_tx(url: str, count: int, framework: str) -> float:
    with pyriver.Client(url) as client:
        return in_one_transaction(url, framework, client.insert_tx, [Bench(n) for n in range(count)])


def pyriver_insert_many_tx(url: str, count: int, size: int, fast: bool = False) -> float:
    with pyriver.Client(url) as client:
        insert = (lambda conn, items: client.on(conn).insert_many_fast(items)) if fast else client.insert_many_tx
        return in_one_transaction(url, "sqlalchemy", insert, batches(count, size))


# --- riverqueue-python -------------------------------------------------------


def riverqueue_client(url: str) -> Any:
    import riverqueue
    from riverqueue.driver import riversqlalchemy

    return riverqueue.Client(riversqlalchemy.Driver(sqlalchemy_engine(url)))


def riverqueue_single(url: str, count: int) -> float:
    client = riverqueue_client(url)
    client.insert_many(WARM_UP)
    return timed(client.insert, [Bench(n) for n in range(count)])


def riverqueue_many(url: str, count: int, size: int) -> float:
    client = riverqueue_client(url)
    client.insert_many(WARM_UP)
    return timed(client.insert_many, batches(count, size))


def riverqueue_insert_tx(url: str, count: int) -> float:
    """riverqueue-python enqueues in an application transaction only through
    SQLAlchemy, so it is the comparison for both pyriver rows."""
    client = riverqueue_client(url)
    return in_one_transaction(url, "sqlalchemy", client.insert_tx, [Bench(n) for n in range(count)])


def riverqueue_insert_many_tx(url: str, count: int, size: int) -> float:
    client = riverqueue_client(url)
    return in_one_transaction(url, "sqlalchemy", client.insert_many_tx, batches(count, size))


# --- the run -------------------------------------------------------------------


@dataclass
class Row:
    metric: str
    database: str
    unit: str
    pyriver: float | None
    go: float | None = None
    riverqueue: float | None = None
    higher_is_better: bool = True


def medians(repetitions: int, **measures: Callable[[], float] | None) -> dict[str, float | None]:
    """Each measure's median over ``repetitions``, the measures taken in turn,
    so that the machine's changes of speed (large on this virtual machine) fall
    on every system alike; None for a measure not taken."""
    samples: dict[str, list[float]] = {name: [] for name, measure in measures.items() if measure is not None}
    for _ in range(repetitions):
        for name in samples:
            measure = measures[name]
            assert measure is not None
            samples[name].append(measure())
    return {name: statistics.median(samples[name]) if name in samples else None for name in measures}


def run(sizes: Sizes, dbs: Databases) -> list[Row]:
    rows: list[Row] = []

    def rate(jobs: int, seconds: float) -> float:
        return jobs / seconds

    def compared(
        jobs: int,
        pyriver: Callable[[], float],
        go: Callable[[], float] | None = None,
        riverqueue: Callable[[], float] | None = None,
    ) -> tuple[float, float | None, float | None]:
        """Rates (pyriver, Go, riverqueue-python) from seconds for ``jobs``, as medians."""
        taken = medians(sizes.comparisons, pyriver=pyriver, go=go, riverqueue=riverqueue)
        pyriver_rate, go_rate, riverqueue_rate = (
            None if seconds is None else rate(jobs, seconds) for seconds in taken.values()
        )
        assert pyriver_rate is not None
        return pyriver_rate, go_rate, riverqueue_rate

    def log(row: Row) -> None:
        rows.append(row)
        print(
            f"{row.metric:<28} {row.database:<9} pyriver={row.pyriver!s:<10.10} go={row.go!s:<10.10} "
            f"riverqueue={row.riverqueue!s:<10.10} {row.unit}",
            flush=True,
        )

    log(Row("C-boundary round trip", "-", "µs", roundtrip_us(sizes.roundtrip_calls), higher_is_better=False))
    for driver in ("postgres", "sqlite"):
        on_pg = driver == "postgres"
        log(
            Row(
                "single insert",
                driver,
                "jobs/s",
                *compared(
                    sizes.single,
                    pyriver=lambda: pyriver_single(dbs.fresh(driver), sizes.single),
                    go=lambda: go_bench(dbs.fresh(driver), "insert", sizes.single),
                    riverqueue=(lambda: riverqueue_single(dbs.fresh(driver), sizes.single)) if on_pg else None,
                ),
            )
        )
        if on_pg:  # busy polling waits on PostgreSQL's socket; SQLite has none
            log(
                Row(
                    f"single insert, busy_poll {BUSY_POLL_US} µs",
                    driver,
                    "jobs/s",
                    *compared(
                        sizes.single,
                        pyriver=lambda: pyriver_single(dbs.fresh(driver), sizes.single, busy_poll=BUSY_POLL_US / 1e6),
                        go=lambda: go_bench(dbs.fresh(driver), "insert", sizes.single),
                    ),
                )
            )
        for size in sizes.batches:
            jobs = max(sizes.batch_jobs, size)
            log(
                Row(
                    f"insert_many ×{size:,}",
                    driver,
                    "jobs/s",
                    *compared(
                        jobs,
                        pyriver=lambda: pyriver_many(dbs.fresh(driver), jobs, size),
                        go=lambda: go_bench(dbs.fresh(driver), "insert-many", jobs, batch=size),
                        riverqueue=(lambda: riverqueue_many(dbs.fresh(driver), jobs, size)) if on_pg else None,
                    ),
                )
            )
        size = sizes.batches[-1]
        log(
            Row(
                f"insert_many_fast ×{size:,}",
                driver,
                "jobs/s",
                *compared(
                    sizes.fast_jobs,
                    pyriver=lambda: pyriver_many(dbs.fresh(driver), sizes.fast_jobs, size, fast=True),
                    go=lambda: go_bench(dbs.fresh(driver), "insert-many-fast", sizes.fast_jobs, batch=size),
                    riverqueue=(lambda: riverqueue_many(dbs.fresh(driver), sizes.fast_jobs, size)) if on_pg else None,
                ),
            )
        )
        log(
            Row(
                "no-op jobs worked",
                driver,
                "jobs/s",
                rate(sizes.work_jobs, pyriver_work(dbs.fresh(driver), sizes.work_jobs).total),
                rate(sizes.work_jobs, go_bench(dbs.fresh(driver), "work", sizes.work_jobs, workers=100)),
            )
        )
        log(
            Row(
                "idle client, 100 slots: CPU",
                driver,
                "% of a core",
                pyriver_idle_cpu(dbs.fresh(driver), sizes.idle_seconds),
                go_idle_cpu(dbs.fresh(driver), sizes.idle_seconds),
                higher_is_better=False,
            )
        )
    for framework, name in (("psycopg", "psycopg 3"), ("sqlalchemy", "SQLAlchemy")):
        log(
            Row(
                f"insert_tx on {name}",
                "postgres",
                "jobs/s",
                *compared(
                    sizes.single,
                    pyriver=lambda: pyriver_insert_tx(dbs.fresh("postgres"), sizes.single, framework),
                    riverqueue=lambda: riverqueue_insert_tx(dbs.fresh("postgres"), sizes.single),
                ),
            )
        )
    size = sizes.batches[1]
    jobs = max(sizes.batch_jobs, size)
    for fast, name in ((False, "insert_many_tx"), (True, "on(conn).insert_many_fast")):
        log(
            Row(
                f"{name} ×{size:,} on SQLAlchemy",
                "postgres",
                "jobs/s",
                *compared(
                    jobs,
                    pyriver=lambda: pyriver_insert_many_tx(dbs.fresh("postgres"), jobs, size, fast),
                    riverqueue=lambda: riverqueue_insert_many_tx(dbs.fresh("postgres"), jobs, size),
                ),
            )
        )
    p50, p95 = latency_ms(dbs.fresh("postgres"), sizes.latency_samples)
    log(Row("insert→work start p50", "postgres", "ms", p50, higher_is_better=False))
    log(Row("insert→work start p95", "postgres", "ms", p95, higher_is_better=False))
    memory = rss(dbs.fresh("postgres"), sizes.rss_jobs, sizes.big_batch)
    log(Row(f"RSS before {sizes.rss_jobs:,} inserts", "postgres", "MB", memory["before_mb"], higher_is_better=False))
    log(Row(f"RSS after {sizes.rss_jobs:,} inserts", "postgres", "MB", memory["after_mb"], higher_is_better=False))
    log(
        Row(
            f"peak RSS, one insert_many of {sizes.big_batch:,}",
            "postgres",
            "B/job",
            memory["batch_peak_bytes_per_job"],
            higher_is_better=False,
        )
    )
    return rows


def otel_cases(sizes: Sizes, dbs: Databases) -> list[otel_overhead.Overhead]:
    """pyriver.otel's cost on PostgreSQL: inserts (insert middleware) and
    no-op work (worker middleware)."""
    size = sizes.batches[1]
    jobs = max(sizes.batch_jobs, size)
    return otel_overhead.measure(
        {
            "single insert": (
                sizes.single,
                lambda **on: pyriver_single(dbs.fresh("postgres"), sizes.single, **on),
                "insert_middleware",
            ),
            f"insert_many ×{size:,}": (
                jobs,
                lambda **on: pyriver_many(dbs.fresh("postgres"), jobs, size, **on),
                "insert_middleware",
            ),
            "no-op jobs worked": (
                sizes.work_jobs,
                lambda **on: pyriver_work(dbs.fresh("postgres"), sizes.work_jobs, **on).total,
                "middleware",
            ),
        }
    )


def environment(postgres: PostgresServer) -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "unknown"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "go": pyriver.library_info()["go"],
        "river": pyriver.RIVER_VERSION,
        "postgresql": first_line([str(postgres.bin_dir / "postgres"), "--version"]),
        "riverqueue-python": _version_of("riverqueue"),
    }


def _version_of(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


# --- the report ----------------------------------------------------------------


def ratio(numerator: float | None, denominator: float | None, higher_is_better: bool) -> str:
    if numerator is None or denominator is None or not higher_is_better:
        return ""
    return f"{numerator / denominator:.2f}×"


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| measurement | db | unit | pyriver | native Go | riverqueue-python | pyriver / Go | pyriver / riverqueue-python |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.metric} | {row.database} | {row.unit} | {fmt(row.pyriver)} | {fmt(row.go)} | {fmt(row.riverqueue)} "
            f"| {ratio(row.pyriver, row.go, row.higher_is_better)} | {ratio(row.pyriver, row.riverqueue, row.higher_is_better)} |"
        )
    return "\n".join(lines)


def charts(rows: list[Row], out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for database in ("postgres", "sqlite"):
        selected = [r for r in rows if r.database == database and r.unit == "jobs/s"]
        if not selected:
            continue
        figure, axes = plt.subplots(figsize=(10, 4.5))
        width = 0.27
        for offset, (name, attr) in enumerate(
            [("pyriver", "pyriver"), ("native Go", "go"), ("riverqueue-python", "riverqueue")]
        ):
            values = [getattr(r, attr) or 0 for r in selected]
            axes.bar([i + (offset - 1) * width for i in range(len(selected))], values, width, label=name)
        axes.set_xticks(range(len(selected)), [r.metric for r in selected], rotation=15, ha="right")
        axes.set_ylabel("jobs/s")
        axes.set_yscale("log")
        axes.set_title(f"Throughput on {database} (higher is better, log scale)")
        axes.legend()
        figure.tight_layout()
        name = f"throughput-{database}.png"
        figure.savefig(out / name, dpi=110)
        plt.close(figure)
        written.append(name)
    return written


def report(
    rows: list[Row],
    otel: list[otel_overhead.Overhead],
    queues: list[python_queues.Result],
    env: dict[str, str],
    sizes: Sizes,
    smoke: bool,
    chart_dir: Path,
) -> str:
    environment_lines = "\n".join(f"- {key}: {value}" for key, value in env.items())
    return f"""# Benchmarks

pyriver side by side with native Go River (bin/pyriver-bench, same River
version and drivers) and riverqueue-python (PyPI `riverqueue` with SQLAlchemy
and psycopg; PostgreSQL only, inserts only), measured in one run against the
same throwaway PostgreSQL server and SQLite files on the same machine.

Reproduce with:

```sh
make bench
```

{"**Smoke run**: tiny sizes to keep the harness working; the figures mean nothing." if smoke else ""}

## Environment

{environment_lines}

## Results

Sizes: single inserts {sizes.single:,} jobs; insert_many {sizes.batch_jobs:,} jobs per batch size;
insert_many_fast {sizes.fast_jobs:,} jobs; {sizes.work_jobs:,} no-op jobs worked with 100 workers;
{sizes.latency_samples} latency samples; resident memory around {sizes.rss_jobs:,} inserts.

{table(rows)}

How each is measured (the insert rows against Go or riverqueue-python, which carry
targets: each system {sizes.comparisons} times, in turn, medians; the others once):

- **C-boundary round trip**: a no-op call from Python into the Go library and back
  (JSON request and envelope included), median of 5 rounds.
- **single insert**: one job per call, each in its own transaction (autocommit).
  **busy_poll {BUSY_POLL_US} µs**: the same with `Client(url, busy_poll=...)` (the
  README's "Latency"), beside a fresh run of the Go program.
- **insert_many ×N**: batches of N jobs per call, returning every inserted row (as
  River's InsertMany does); riverqueue-python's `insert_many`, which returns only a count.
- **insert_many_fast**: River's InsertManyFast (COPY on PostgreSQL), returning a count;
  the riverqueue-python column is its `insert_many` again, the like-for-like call.
- Every client first inserts 10 jobs untimed, to open connections and prepare statements.
- **insert_tx on psycopg 3 / SQLAlchemy**: one job per call inside the application's own
  open transaction (`client.insert_tx(conn, args)`, River's code running each statement on
  the application's connection), committed at the end; riverqueue-python's `insert_tx`
  on a SQLAlchemy connection (its only way to use the application's transaction).
- **insert_many_tx ×N**: batches in the application's transaction, pyriver returning every
  row (River's InsertManyTx); **on(conn).insert_many_fast** returns a count, like
  riverqueue-python's `insert_many_tx`, the column beside both.
- **no-op jobs worked**: jobs inserted first, then timed from client start until every
  job was worked and the client stopped; pyriver runs Python handlers in threads, native
  Go runs Go workers, both through River's engine with 100 workers.
- **idle client**: a started client with 100 worker slots and no jobs, CPU time over
  {sizes.idle_seconds} s after its first 3 s (native Go: the same client in `pyriver-bench -mode idle`).
- **insert→work start**: the Go worker program running on PostgreSQL; Python inserts
  one job, and the latency runs to the moment the Go worker starts it (River's insert
  notification, not a poll).
- **RSS**: resident memory of a Python process after 10,000 warm-up inserts and after
  {sizes.rss_jobs:,} more (insert_many, 1,000 per call).
- **peak RSS, one insert_many**: in the same process, how much the peak resident memory
  (VmHWM) grows over one `insert_many` of {sizes.big_batch:,} jobs whose results are kept,
  per job (the args objects are made before; the target is under 1 KB).

{chr(10).join(f"![{name}](bench/{name})" for name in charts(rows, chart_dir))}

## pyriver.otel overhead

The same calls with `pyriver.otel.Middleware(enable_trace_propagation=True)` as insert
or worker middleware, on OpenTelemetry's SDK (every span sampled and batched to an
exporter that drops it, every metric recorded), in {otel_overhead.REPETITIONS} interleaved pairs with runs
without it. Target: under 10% slower.

{otel_overhead.table(otel)}

## Python job queues

pyriver beside native Go River and the Python queues people pick for working jobs,
from PyPI, on the same PostgreSQL server: {python_queues.REPETITIONS} interleaved repetitions,
medians; {sizes.peer_enqueue_jobs:,} jobs per enqueue measurement, {sizes.peer_work_jobs:,} jobs per work
measurement, concurrency {python_queues.CONCURRENCY} unless the row says otherwise. Work is timed from the
worker's start until the last job's handler returned (jobs enqueued first, untimed); an
I/O job sleeps 10 ms (`asyncio.sleep`, or `time.sleep` in a sync handler). pyriver and
Go: River's engine, fetch cooldown {python_queues.FETCH_COOLDOWN * 1000:.0f} ms, {python_queues.CONCURRENCY} workers (Go has one kind
of worker: its figure is in both the sync and the async rows). The last row is the
README's high-throughput profile: {python_queues.PROFILE_CONCURRENCY} workers and River's shortest fetch cooldown,
{python_queues.PROFILE_COOLDOWN * 1000:.0f} ms, for pyriver and Go, and {python_queues.PROFILE_CONCURRENCY} concurrent tasks for pgqueuer. How each library
runs a handler:
{chr(10).join(f"- {name}: {how}" for name, how in python_queues.PEER_SETTINGS.items())}

{python_queues.table(queues)}

![Python job queues](bench/{python_queues.chart(queues, chart_dir)})

## Targets and where the time goes

Targets set by the open issues, to compare with the tables above: single insert
≥ 0.9× native Go; insert_many ×10,000 ≥ 0.85× native Go and ≥ 2× riverqueue-python;
C-boundary round trip ≤ 5 µs; insert_tx ≥ 1.0× and insert_many_tx ×1,000 ≥ 2×
riverqueue-python; no-op Python workers (sync and async) ≥ 0.9× Go workers with the
same fetch settings and ≥ 2× the faster of pgqueuer and procrastinate; async ≥ sync;
async work ≥ pgqueuer's async work; RSS growth under 20 MB over 1,000,000 inserts;
insert→work start p50 under 100 ms.

- **Where a single insert's extra time went, and what changed.** Traces at an earlier
  stop (`pyriver.library_trace` around 2,000 inserts from Python, `pyriver-bench
  -trace` around 2,000 from native Go, read with `go tool trace -pprof=net|syscall|sched`)
  showed the database wait the same from both, but 124 µs an insert runnable and not
  running from Python (2 µs from Go) and twice the time in system calls. A Go
  function called from C runs on a goroutine locked to the calling thread: waiting in
  Go's network poller, each of an insert's three round trips (BEGIN, River's insert,
  COMMIT) needed two wake-ups, the poller's thread and then Python's, where a Go
  program needs one. Python's calls on PostgreSQL now have a pool of their own whose
  connections wait in `poll(2)` on the calling thread (`go/internal/threadconn`), so
  the kernel wakes Python's thread itself when the answer comes. Traced again: 9 µs
  an insert runnable and not running. Interleaved A/B runs against the library
  before (medians): single insert +24% and +16%, insert_many ×1,000 0.98× and
  ×10,000 1.00×, no-op work 1.04× (sync) and 1.09× (async). River's own goroutines
  keep Go's poller: with every connection waiting on its thread, sync workers fell to
  0.89× (a wait in a system call holds one of Go's two processors until the runtime
  takes it back). Before and after, from Python against native Go on this machine:
  0.52× and 0.67× (medians of 5); in this run, 0.86× in the table above and 0.85×
  in the Python-queues table (both medians of three runs in turn; 0.82× and 0.82× in
  each of the two runs before, 0.68× and 0.67× in the one before those; Go's own
  single insert took 445 µs here, 382 and 538 in two of those runs). Running each call on a fresh,
  unlocked goroutine instead, tried at an earlier stop, gained nothing (807 against
  780 µs an insert), nor did `GOMAXPROCS=8`. What is left, from
  `perf` around 8,000 inserts: the Python process uses about 470 µs of CPU an
  insert, the Go program about 380 µs. Python's own part is 115–140 µs: 60 µs
  measured alone with the library's call stubbed out (the args' `to_json()`, the
  request, the call through cffi, the result), more in place, where Go's work leaves
  its caches cold. Go's part is about 205 µs (the Go program's user time 187 µs),
  and the kernel's 125 µs (190 µs in the Go program, which waits in epoll). On two
  cores shared with PostgreSQL's backend, that CPU is wall time.
- **What the rest of a single insert's time is: waking up.** Measured over 4 s
  windows in the middle of 30,000 inserts, the same way for both programs: the Go
  program used 153–185 µs of user CPU an insert, the Python process 401–470
  (system time alike, 115–151 µs). `perf` puts 251 µs an insert in Go's code in the
  Python process, against 172 µs in the Go program, and about 180 µs in Python's
  interpreter and C modules, against 47 µs for the same Python code measured alone
  with the library's call stubbed out. The same code takes three to four times
  longer in place. This machine is a KVM guest with no guest halt polling (its
  cpuidle driver is `none`): a thread that sleeps for PostgreSQL's answer halts its
  CPU, and wakes late with its caches cold. Kept awake instead (reading the socket
  again until the answer came, up to 5 ms), Python's single insert took 633 µs, all
  of it on CPU, as fast as the Go program (650–730 µs). That is the `busy_poll`
  option (opt-in, at most 10 ms; README "Latency"). Interleaved A/B runs, medians of 7,
  500 µs: 1,132 → 796 µs an insert (Go 732) for 607 → 784 µs of CPU, and in another
  run 806 → 673 µs (Go 634) for 421 → 669 µs of CPU; in this run's table, 0.95× Go
  with it against 0.86× without (0.92× and 0.82× in the run before) (each beside its own run of the Go program). It is
  not the default: it
  spends CPU to save time, as Linux's `SO_BUSY_POLL` does, and a Go program does not.
  Tried and dropped: sending BEGIN with the statement after it (two round trips
  instead of three): 1,297 against 1,279 µs, medians of 5, since BEGIN's answer is
  mostly there before the read; a window that grows and shrinks with the waits,
  as the kernel's haltpoll does: less gain than a fixed limit in the same run.
  Python's own work for a single insert was halved at this stop (36 → 18 µs
  measured alone: orjson writes insert requests, a single insert's results cross
  as its row's values, answers land in a buffer of the calling thread): in an
  interleaved A/B, 497 → 487 µs an insert and 262 → 245 µs of CPU (the first two
  changes).
- **SQLite's single insert** is River's work in modernc.org/sqlite: 2.2 ms of CPU
  an insert here. pyriver refuses to write a file that another SQLite library in the
  process has open (two copies of SQLite in one process corrupt a file), by counting
  the process's descriptors on the file before each transaction and statement; that
  count (reading `/proc/self/fd` and a `stat` per descriptor) was 10% of an insert's
  CPU in a Python process. A count now stands until inotify reports the file opened
  or closed (`dburl/sqlite_opens.go`): +16% in an A/B (medians of 4). The native Go
  column goes through the same URL code (`dburl`), so it gained too. In this run 0.83× (0.89×, 0.89×, 0.65×, 0.87×, 0.77× and 0.79× in the runs before;
  0.62× to 0.86× in three interleaved runs after the last of them): the Python
  side's fixed cost per call weighs differently as the machine's speed moves.
- **insert_many returns every row.** River's InsertMany returns the inserted rows
  and so does pyriver. They now cross by column (`protocol.InsertResults`): one
  list per field, or the value once when every row has it, as the rows of one
  insert mostly do. Measured apart for a batch of 10,000: the response went from
  1.76 MB to 229 kB, orjson reads it in 0.7 ms instead of 13.7, the 10,000 lazy
  results are made in 7.4 ms instead of 20, and reading every row's `id` (building
  every `JobRow`) takes 48 ms instead of 67. In this run insert_many ×10,000 is at
  0.82× native Go (0.86×, 0.69×, 0.72×, 0.74×, 0.71× and 0.79× in the runs before) and
  2.45× riverqueue-python (2.52×, 2.14×, 1.98× and 2.13× in the runs before): the
  2× target met in both of the last two runs, the 0.85× one in the run before and
  not in this one, whose first half ran on a slower machine (native Go's own rate
  34,129 jobs/s here, 37,731 then; insert_many_fast 0.67×, 0.82× then). Timed apart
  at this stop (PostgreSQL, batches of 10,000, before the change below): 350 ms a
  batch, of which the call into Go took 265 ms, about a Go program's whole time for
  the batch (260 ms), and Python 80 ms before and after it: encoding the jobs 61 ms
  (38 of them the args' own `to_json()`, the application's code), the request 0.6 ms
  and the lazy results 12.5 ms. So Python's part now runs beside River's: on the
  client (no transaction, no Python insert middleware), a batch of more than 250
  jobs goes in chunks of 250, 500, 1,000... up to 10,000, in one transaction;
  `job.insert_many_send` hands Go a chunk, which a goroutine decodes and inserts
  while Python encodes the next, and returns the results of the chunks already
  inserted, which Python reads meanwhile; `job.insert_many_receive` collects the
  rest (`go/internal/api/insert_queue.go`). Interleaved A/Bs, 50,000 jobs in
  batches of 10,000, medians of 4: 38 → 32 µs a job with chunks from 1,000 (Go 27:
  0.70× → 0.86×); first chunks of 250 and 500 against 1,000: +4% and +2% (and +8% for
  batches of 1,000, nothing lost for 400); results read during the inserts rather
  than after: 31 → 30 µs (+2.7%). `insert_many_fast` goes the same way: 25 → 21 µs
  a job. A first trial with a Python thread in place of the goroutine gained about
  as much for 10,000 (317 and 313 ms a batch against 369 and 361) and nothing for
  1,000 (36 and 37 ms).
  When the rows are not needed, `insert_many_fast` is the call to use: it returns a
  count, like riverqueue-python's `insert_many`, and is the like-for-like comparison.
- **Codec** (one response and one request of each size, best of 5, µs): a single
  insert's request (58 B) encodes in 3.6 with the standard library, 0.2 with orjson
  3.13 and 0.2 with msgspec 0.23; its response (185 B) decodes in 4.6, 0.9 and 0.7.
  For insert_many ×10,000 the request (399 kB) encodes in 6,149, 476 and 602 and the
  response (1.76 MB) decodes in 38,391, 18,871 and 23,097. Adopted: orjson for
  everything Go returns (the large side, and the faster on it), except the rows of
  `tx.query`, where orjson would read an integer beyond 64 bits (PostgreSQL's
  numeric) as a float; requests keep the standard library's encoder (built once),
  which writes integers of any size and refuses NaN as before (orjson writes NaN
  as null, silently), except inserts, whose values pyriver has checked (finite
  floats, integers of 64 bits): orjson writes them, 5 µs → 0.4 for a single insert's
  request. The empty call went from 7.7 to 3.6 µs measured alone (8.2 µs
  in the run before this one; 12.8, 8.2 and 4.9 in the three runs before, as the machine's
  speed varied): a request without parameters (`{{}}`)
  now skips Go's JSON decoder, which allocated 900 bytes for it (the call's Go side
  went from 1,156 to 232 ns), and Python's encoder (1.3 µs); `pyriver.ping` no
  longer imports on each call (1.5 µs); and the check that the process was not
  forked after loading the library is a flag `os.register_at_fork` sets instead
  of a `getpid` system call per call. Most of what is left is cffi and Go's entry
  from C. Measured apart at this stop: a C program calling the library's two
  functions makes the round trip in 1.5 µs (0.2 µs for an exported function that
  does nothing), so the boundary itself is within the 5 µs target; through cffi the
  same two calls take 4.5 µs (cffi's own cost is about 0.7 µs a call, as for libc's
  `abs`, plus the GIL released and taken back), and pyriver's wrapper (the length's
  buffer, the envelope's decoding, the error check) made 8.2 µs from Python. Go now
  writes an answer that fits into a 16 KB buffer each Python thread keeps, so most
  calls need neither an allocation nor the second call to free it: 6.36 → 5.39 µs
  from the main thread, 5.97 → 5.09 from another, measured alone; 5.47 µs in the
  table of the run before this one (the target, 5 µs, not met then). `perf` over a
  loop of empty calls at this stop: Python's interpreter 47% of the time, Go 25%,
  cffi 16%, the kernel 4% (the `gettid` that tells the main thread's calls, which
  Ctrl-C may cancel). Cut: a result that is nil, a bool, an integer or a string is
  written into its envelope without encoding/json's reflection (a fifth of the Go
  side), and `call_raw` checks that the library is loaded with two globals instead
  of a call, reads the thread's buffer, view and length in one thread-local lookup
  instead of four, and decodes with orjson directly: 5.6 → 4.4 µs measured alone
  (three alternating runs each, medians; 0.1 µs more kept for the envelope's check
  staying one function, `result_of`). In this run's table: 4.34 µs (4.13 in the run
  before), the target met.
- **Transactional inserts** (`insert_tx`, `insert_many_tx`) run River's own code,
  with each statement executed by the application's driver, in one call: River
  runs on the caller's thread and calls Python back there for each statement
  (`go/internal/pycall`). The first design took two calls per insert, River on a
  goroutine of its own and the statement handed across threads: four
  cross-thread wake-ups per insert, 0.78× riverqueue-python on psycopg; one call
  and reused bridge transactions brought it about level (this run: 1.11× on
  psycopg and 1.15× on SQLAlchemy, medians of three runs in turn; the run before:
  1.24× and 1.22×; a single pass before that had psycopg at 0.97×, where the same
  code measured in turn with riverqueue-python gave 1.18×; the runs before: 1.20× and 1.19×, 1.10× and 1.19×, 1.26× and 1.13×, 1.14× and 1.14×, 1.00× and 1.01×,
  the machine's figures moving by more than the difference). Timed apart on
  psycopg (medians of 2,000 inserts): 648 µs an insert, of which the statement on
  psycopg takes 367 µs, Python outside Go 64 µs, and Go outside the statement 194 µs:
  River's own work on database/sql (lib/pq array literals, database/sql's
  conversions), the statement crossing as JSON, its reply read back, and Go's
  collector. A CPU profile showed three costs of ours in that Go part, all
  removed at this stop: each statement's `$N` placeholders rewritten as `%(pN)s` (16 µs for an
  insert's 1.5 kB; now remembered per query) and the reply read through
  encoding/json into `[][]any` (17.4 µs; now 5.3 µs with a reader for replies of
  text and nulls, encoding/json for anything else); and, from Python's main thread,
  the call's cancellable context (for Ctrl-C), for which database/sql started a
  goroutine and woke a thread for every query (operations on the application's
  connection now run without it: each statement runs in Python, which sees Ctrl-C
  itself). `insert_many_tx` returns every
  row, which crosses twice: the application's driver reads it for Go, and Go
  decodes it for River. Profiled at this stop (1,000 jobs a call, SQLAlchemy on
  psycopg): Python read the rows value by value (8.5 µs a job), wrote them with the
  standard library's encoder (2.5 ms for 1,000 rows), and Go read every string with
  an escape (River's args hold quotes) through encoding/json and every value
  through pgx's codec with a type map from a pool (6 ms for 1,000 rows), while
  lib/pq formatted the arrays of times in River's statement by reflection. Now
  psycopg's own C code reads the rows as text (a Transformer whose only loader is
  the one for unknown types: 1.4 µs a job), orjson writes PostgreSQL's replies
  (0.2 ms), Go decodes JSON's two-character escapes itself and makes text, JSON,
  integers and booleans without pgx (3.7 ms), and the arrays of UTC times and small
  integers are formatted by hand (a test compares them with lib/pq's). Interleaved
  A/B against the library before: 14,187 → 17,078 jobs/s (medians of 5). In this
  run: 1.62× riverqueue-python's count-only call (1.62×, 1.64×, 1.70×, 1.15×, 1.19× and
  0.92× in the runs before). The 2× target is not met: measured at the stop before, when 2×
  meant about 51 µs a job, PostgreSQL itself took about 29 µs a job for River's
  statement, which returns every row (riverqueue-python's, returning a count and
  sent binary arrays, about 21 µs), leaving about 22 µs for Python, Go and River
  together, where they took about 31. The count-only
  `client.on(conn).insert_many_fast` is the like-for-like call to riverqueue-python's
  `insert_many_tx`, which returns a count: 2.25× (2.33×, 2.31×, 2.27×, 1.88×, 1.87× and
  1.56× in the runs before).
- **What bounds no-op workers is a fetch cycle's turnaround.** River fetches at most
  its free slots once per cooldown (10 ms here), and a slot frees when the handler's
  outcome reaches Go. River's fetch limiter fires at the end of a cooldown if a fetch
  was asked for during it (here, by the first outcome after a full fetch); if none
  was, the cooldown lapses, the next outcome starts a fetch at once for the one or
  two slots free at that instant, and the next full fetch waits out another
  cooldown. Measured around 20,000 no-op jobs (each batch's fetch time from its
  jobs' `attempted_at`; timestamps in the bridge when River called the worker, when
  Python reported the outcome and when River's executor had it):
  - native Go: 201 fetches, every one but the last of 100 jobs, one every 10.4 ms
    (median). pyriver, async handlers: 226 fetches, 20 of them of fewer than 10
    jobs; sync handlers: 251, 40 of fewer than 10. Each small fetch costs a
    cooldown: without them the same runs would have reached about 0.97× (async)
    and 0.94× (sync) of Go's rate, where they reached 0.87× and 0.80× (Go 9,373,
    async 8,176 and sync 7,494 jobs/s, medians of three runs in turn).
  - A batch usually reaches the worker 3.5 ms after its fetch began (median; the
    fetch statement and River starting 100 executors, in Go alike), and its last
    outcome reaches River 4.2 ms (async) or 5.0 ms (sync) after that: 7.7–8.5 ms
    in all, inside the cooldown. Before every small fetch, most of the batch before it
    had not reported when the next fetch began: in about half of those batches the
    fetch itself had been slow (the worker called 5.5–9 ms after it began), in the
    others the turnaround had stretched to 6–13 ms.
  - Python's own part of that is short: a pull's first job starts 0.13 ms after the
    pull returns and is reported 0.17 ms after it (medians). The waits are for Go's two
    processors, which the starts of River's 100 executors keep busy: a call from
    Python enters Go after 40 µs (median; 267 µs at p90, 2.3 ms at p99), an outcome
    reaches its executor goroutine 0.22–0.27 ms after Go has it (0.6–0.96 ms at
    p90), and the jobs River hands over reach an async runner's event loop 0.5 ms
    (median) after Go signals them. A Go worker's outcome is in at once.
  - Tried at this stop, none kept (interleaved runs, medians of 3–4): reporting an
    async batch's first outcome at once instead of with the rest (1.00×);
    `GOMAXPROCS` 3 (1.01×) or 1 (1.00× async, 0.96× sync); Python's collector off
    (1.00× async, 1.04× sync) and Go's off (0.98×). And in single runs: collecting a
    pull's jobs by spinning up to 500 µs instead of yielding to River's executors
    (0.93×) or not collecting at all (0.72×), and yielding Go's processor after
    delivering outcomes (within noise).
  Per-job costs count through that tail. Kept at this stop: worker middleware's
  chain built without a reference cycle. Every sync job ran the chain, which
  referred to itself, so its garbage waited for Python's collector: 435 collections
  of the youngest generation in 20,000 sync no-op jobs (73 ms), now 82 (5 ms);
  interleaved A/B, medians of 4: 7,074 → 7,504 jobs/s and 103 → 95 µs of CPU a job
  (Go 9,316). An earlier stop's changes to the turnaround: 100 hand-offs encoded by hand in Go
  (467 → 143 µs; rows and insert results too), Python's per-job work on the event
  loop from 23 to 16 µs measured alone (`JobRow` built without its frozen dataclass
  `__init__`, args decoded from the wire's text, a job's `threading.Event` made only
  when used), and, when every handler is an `async def`, the event loop pulling for
  itself on Go's signal instead of a dispatcher thread handing it jobs (no second
  thread competing for the GIL). In the run made then, async no-op work went from
  0.71× Go to 0.93× and sync from 0.70× to 0.84×; a sync job still crosses from the
  dispatcher to a slot thread (a thread wake-up and a GIL hand-off each).
- **Where a Python worker's CPU goes, and what the previous stop cut.** Around 20,000 no-op
  sync jobs before this stop's changes, the Python process used 228–256 µs of CPU a
  job, the Go program about 100 µs; on two cores shared with PostgreSQL that CPU is the rate. By thread
  (`time.thread_time`): the dispatcher's pulls 52 µs a job (Go handing the jobs over,
  Python decoding them), the slot threads 44 µs (the handler through the runner, the
  outcome's report), the rest River's goroutines and Go's runtime. `perf` and Go's CPU
  profile showed three costs of ours, now cut: (1) Go's garbage collector ran 18
  times a second on a live heap of about 2 MB (126 collections in 7 s, by
  `GODEBUG=gctrace=1`; 6% of the process's CPU): a collection now waits for 16 MiB
  of new allocation while the live heap is small (`go/internal/heapfloor`; `GOGC` in
  the environment overrides it), 18 collections instead, for about 16 MB more
  resident memory; A/B +5% sync and +7.5% async, insert_many ×10,000 +4.6%.
  (2) Building each job's `JobRow` was half of Python's work for a job handed over
  (29 of 41 µs measured alone): a handler's job now makes its row when the row is
  first read, and most handlers read only the args (10 µs); A/B +5% sync and +5%
  async, CPU 232 → 220 and 214 → 198 µs a job. (3) Go read each outcome as a JSON
  object by reflection: a handler that returns None is now reported as a bare
  token (CPU 219 → 206 µs a job; the rate within noise). What remains is mostly not
  ours: River starts a goroutine per job whose stack grows by copying (6–7% of the
  process's CPU, 16% of the Go program's; in a Go CPU profile at this stop, 9% of
  the samples, 60% of them reached in River's `UnmarshalJob`, where encoding/json
  decodes each job's args into the worker's args type before the worker runs, the
  rest in River's plugin lookup), and Python's own interpretation of the
  runner. Handing jobs from the dispatcher to slot threads costs 7% (measured by
  running the handlers on the dispatcher, which a blocking handler would stall), and
  `GOMAXPROCS` 4 or 8 changed nothing (3,549, 3,601 and 3,511 jobs/s). Tried at
  this stop: Go sizes a new goroutine's stack by the average of the stacks its
  collector scanned (`/gc/stack/starting-size:bytes` stayed at the minimum, 2 KB,
  in pyriver and in the Go program alike); a few parked goroutines holding deep
  stacks raise it to 8–16 KB, so River's executors no longer grow theirs. CPU per
  job fell 10% (93.6 → 83.7 µs) but the rate rose only 1.7% (7,794 → 7,930 jobs/s,
  medians of 3, Go 9,325 at 47.8 µs of CPU a job): not adopted, as the cycle's
  turnaround, not CPU, bounds the rate.
- **Workers in this run** (the worker path's one change since the run before: the
  middleware chain without a reference cycle): sync no-op work 0.83× native Go in
  the Python-queues table (0.79× in each of the two runs before, 0.69× before that)
  and 0.67× in the main table (a single pass, in this run's slower first half;
  0.77×, 0.84×, 0.66× before), async 0.87× (0.85×, 0.86×, 0.63×), 10 ms I/O jobs
  0.94× and 0.97× (0.97× and 0.99×, 0.92× and 0.92×). Async handlers were ahead of
  sync ones in this run (8,237 against 7,816 jobs/s) and the two before (7,919
  against 7,347; 8,073 against 7,405), behind in the one before those (5,455
  against 5,593) and ahead in the interleaved A/B before it (4,844 against
  4,659). That A/B, of the previous stop's
  worker changes against the library before them (20,000 no-op jobs, three
  repetitions, medians): sync 1.16× and async 1.20×, CPU 223 → 160 µs and
  207 → 155 µs a job; then against native Go, sync 0.65× and async 0.71×.
  Keeping the dispatcher awake for the next jobs (a bounded spin in `worker.next`
  before it sleeps, as `busy_poll` does for PostgreSQL's answers) gained nothing at
  this stop: 142 µs a job asleep, 145 and 146 spinning 200 µs and 1 ms (20,000 sync
  no-op jobs, medians of 4). Under load the CPUs seldom halt.
- **The high-throughput profile** (300 workers, River's 1 ms cooldown) gives async
  no-op work 1.71× pgqueuer's at the same concurrency here (1.60×, 1.67×, 1.99×, 1.80×, 1.43×, 1.15×, 1.31× and 1.28×
  in the runs before). Native Go gains more from it (0.77× in that row here, 0.68×, 0.71×, 0.71×, 0.66×, 0.60×,
  0.54×, 0.48× and 0.60× before): with fetches back to back the batch turnaround is the whole cycle,
  and Python's is the part Go does not have.
- **Against the other Python queues**, pyriver's sync handlers work no-op jobs faster
  than any of them (2.04× pgqueuer's here, 1.97×, 1.88×, 2.02×, 2.32×, 2.00× and 1.39× in the runs before; pgqueuer's sync handlers go through
  `asyncio.to_thread`); at concurrency 100 and a 10 ms cooldown pyriver's async
  handlers and pgqueuer's are about level (1.17× here; 1.12×, 1.16×, 1.09×, 1.13×, 1.10×, 0.92× and 0.98× in the
  runs before: pgqueuer's
  worker is a single asyncio loop with asyncpg, no second runtime to cross), and with
  the profile above pyriver's are faster. pgqueuer's enqueueing is faster too: a
  plain `INSERT` returning ids on a prepared asyncpg statement, where River's insert
  (native Go's too, which pgqueuer also beats here) runs its unique-key CTE, returns
  whole rows and notifies workers. For 10 ms I/O jobs pyriver is at 0.94× of Go and
  0.82× of pgqueuer (0.97× and 0.85×, 0.92× and 0.85×, 0.93× and 1.06×, 0.86× and 1.24× in the runs before). procrastinate and oban-py are well behind all three.
- **pyriver.otel** costs what OpenTelemetry's Python SDK costs per call: a span (about
  25 µs measured in isolation) and three or four metric records (about 13 µs each),
  all Python under the GIL, plus its knock-on effect on the calling thread; against a
  no-op job's whole budget (about 200 µs here) that is more than half, so the 10%
  target holds only for jobs doing real work and for batches. pyriver.otel's own code,
  run on the API alone (no SDK), adds 60–100 µs per single insert and about 15 µs per
  worked job.
- **An idle client** costs what River itself costs. Measured per thread (30 s, 100
  slots, after the first 3 s): on PostgreSQL 0.46% of a core, of which Python's
  threads 0.03%, against 0.43% for the same client in native Go; on SQLite 2.4%
  against 2.2% (River polls SQLite, which has no notifications). Python makes 2 calls
  a second: the runner's pull and the log pump's, each waiting up to a second in Go
  (the log pump's alone when every handler is an `async def`: the event loop then
  pulls only when Go signals work).
- **Latency p95** is River's fetch cooldown (100 ms by default): a job inserted
  while the producer is cooling down from the previous fetch waits for it.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds long")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--oban-python", help="a Python >= 3.12 with oban-py installed (oban-py is left out without)")
    options = parser.parse_args()
    sizes = SMOKE if options.smoke else FULL
    postgres = PostgresServer()
    postgres.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            databases = Databases(postgres, Path(tmp))
            rows = run(sizes, databases)
            otel = otel_cases(sizes, databases)
            queues = python_queues.measure(
                lambda: databases.fresh("postgres"),
                sizes.peer_enqueue_jobs,
                sizes.peer_work_jobs,
                options.oban_python,
                repetitions=1 if options.smoke else python_queues.REPETITIONS,
            )
        env = environment(postgres) | python_queues.versions(options.oban_python)
    finally:
        postgres.stop()
    chart_dir = options.output.parent / "bench"
    chart_dir.mkdir(parents=True, exist_ok=True)
    options.output.write_text(report(rows, otel, queues, env, sizes, options.smoke, chart_dir))
    results = {
        "environment": env,
        "rows": [row.__dict__ for row in rows],
        "otel": otel_overhead.as_dicts(otel),
        "python_queues": python_queues.as_dicts(queues),
    }
    options.output.with_suffix(".json").write_text(json.dumps(results, indent=2))
    print(f"wrote {options.output}")


if __name__ == "__main__":
    main()
