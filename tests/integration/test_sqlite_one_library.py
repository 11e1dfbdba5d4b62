"""The application's sqlite3 and pyriver in one process, on one SQLite file.

Two SQLite libraries writing one file in one process corrupt it, so pyriver
keeps to one: the application's connections run River's statements
(client.on), and pyriver's own SQLite stays away from the file while another
library has it open. Several application threads write and enqueue for a
few seconds while a client with workers, in the same process, tries to start
on the file and is refused: the file stays intact, every acknowledged row and
job is there, and the jobs are worked once the application's connections are
closed."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

import pyriver
from pyriver import Job, JobState, QueueConfig, Workers
from support.databases import Database, new_database, sqlite_module
from support.waiting import wait_until_finalized

WRITERS = 3
SECONDS = 4


@dataclasses.dataclass
class Ship:
    kind = "ship"
    order: int


def test_application_sqlite3_and_pyriver_in_one_process_keep_the_file_intact(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    database: Database = new_database("sqlite", request, tmp_path)
    with pyriver.Client(database.url) as migrator:
        migrator.migrate()
    sqlite = sqlite_module()
    setup = sqlite.connect(database.sqlite_path)
    setup.execute("CREATE TABLE orders (id integer PRIMARY KEY, writer integer NOT NULL)")
    setup.commit()

    workers = Workers()
    shipped: list[int] = []

    @workers.handler(Ship)
    def ship(job: Job[Ship]) -> None:
        shipped.append(job.args.order)

    acknowledged: dict[int, int] = {}  # order id → job id, once committed
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        conn = sqlite.connect(database.sqlite_path, timeout=30)
        try:
            with pyriver.Client(database.url) as client:
                order = writer
                while not stop.is_set():
                    conn.execute("INSERT INTO orders (id, writer) VALUES (?, ?)", (order, writer))
                    job = client.insert_tx(conn, Ship(order)).job
                    conn.commit()
                    with lock:
                        acknowledged[order] = job.id
                    order += WRITERS
        except BaseException as exc:
            errors.append(exc)
        finally:
            conn.close()

    with pyriver.Client(
        database.url, workers=workers, queues={"default": QueueConfig(max_workers=50)}, fetch_cooldown=0.01
    ) as worker:
        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)  # the application's connections are open: pyriver's SQLite must stay away
        with pytest.raises(pyriver.DatabaseError, match="another SQLite library"):
            worker.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
        setup.close()
        assert errors == []
        # The application's connections are closed: pyriver's own SQLite may
        # use the file now, and works what was enqueued.
        worker.start()
        jobs = wait_until_finalized(worker, list(acknowledged.values()), timeout=120)
        worker.stop()

    assert len(acknowledged) > 20
    assert all(job.state is JobState.COMPLETED for job in jobs)
    assert sorted(shipped) == sorted(acknowledged)
    assert database.scalar("PRAGMA integrity_check") == "ok"
    assert int(database.scalar("SELECT count(*) FROM orders")) == len(acknowledged)
    assert database.job_count() == len(acknowledged)
