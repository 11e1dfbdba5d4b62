"""Closing and stopping in any order, from any thread, never raises where
the documentation promises it does not."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from typing import Any
from pathlib import Path

import pytest

import pyriver
from pyriver import Job, QueueConfig, Workers
from support.databases import Database
from support.jobargs import AnyKind
from support.waiting import wait_for


def test_transaction_close_and_rollback_after_client_close_are_harmless(database: Database) -> None:
    client = pyriver.Client(database.url)
    client.migrate()
    tx = client.transaction()
    tx.insert(AnyKind("plain"))
    client.close()
    tx.rollback()
    tx.close()
    with pyriver.Client(database.url) as reopened:
        assert reopened.job_list().jobs == []


def test_stop_and_close_from_inside_a_handler(database: Database) -> None:
    for method in ("stop", "close"):
        outcome: dict[str, object] = {}
        workers = Workers()

        def stopper(job: Job[dict[str, Any]]) -> None:
            try:
                getattr(client, method)()
                outcome["returned"] = True
            except BaseException as exc:  # what must not happen
                outcome["raised"] = exc

        workers.add("stopper", stopper)
        client = pyriver.Client(database.url, queues={"default": QueueConfig(max_workers=2)}, workers=workers)
        client.migrate()
        client.insert(AnyKind("stopper"))
        client.start()
        wait_for(lambda: outcome, what=f"{method}() from a handler")
        assert outcome == {"returned": True}
        wait_for(lambda: not any(t.name.startswith("pyriver-worker") for t in threading.enumerate()), what="workers")
        client.close()


def test_river_warnings_stay_out_of_stderr_without_logging_configured(database: Database) -> None:
    script = """
        import logging, sys
        import pyriver
        logging.getLogger("pyriver").warning("a warning from River")
        with pyriver.Client(sys.argv[1]) as client:
            client.migrate()
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), database.url], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stderr == ""


def test_a_sqlite_file_deleted_in_use_is_reported_not_written(tmp_path: Path) -> None:
    path = tmp_path / "deleted.db"
    with pyriver.Client(f"sqlite://{path}") as client:
        client.migrate()
        client.insert(AnyKind("plain"))
        path.unlink()
        with pytest.raises(pyriver.DatabaseError, match="deleted or replaced"):
            client.insert(AnyKind("plain"))
