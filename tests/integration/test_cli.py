"""The pyriver command, run as a user runs it, on both drivers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyriver
from support.databases import Database
from support.jobargs import AnyKind
from support.waiting import wait_for


def pyriver_command(database: Database, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyriver", *args],
        env={**os.environ, "DATABASE_URL": database.url},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


def test_migrations_as_rivers_cli_runs_them(database: Database) -> None:
    assert pyriver_command(database, "validate").returncode == 1
    up = pyriver_command(database, "migrate-up")
    assert up.returncode == 0 and up.stdout.startswith("applied migration 001 [up]")
    assert pyriver_command(database, "validate").returncode == 0
    listed = json.loads(pyriver_command(database, "migrate-list", "--json").stdout)
    assert listed and all(version["applied"] for version in listed)
    sql = pyriver_command(database, "migrate-get", "--version", "1,2", "--up").stdout
    assert sql.startswith("-- River migration 001 [up]") and "-- River migration 002 [up]" in sql
    down = pyriver_command(database, "migrate-down")
    assert down.returncode == 0 and down.stdout.count("applied migration") == 1
    assert pyriver_command(database, "validate").returncode == 1


def test_jobs_and_queues(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        client.migrate()
        job = client.insert(AnyKind("report", n=1), pyriver.InsertOpts(queue="reports")).job
    listed = json.loads(pyriver_command(database, "jobs", "list", "--json", "--kind", "report").stdout)
    assert [(row["id"], row["args"], row["state"]) for row in listed] == [(job.id, {"n": 1}, "available")]
    table = pyriver_command(database, "jobs", "list").stdout
    assert table.splitlines()[0].split() == ["ID", "KIND", "QUEUE", "STATE", "ATTEMPT", "SCHEDULED", "AT"]
    cancelled = json.loads(pyriver_command(database, "jobs", "cancel", str(job.id), "--json").stdout)
    assert cancelled[0]["state"] == "cancelled"
    missing = pyriver_command(database, "jobs", "get", "999")
    assert missing.returncode == 1 and "job 999 not found" in missing.stderr
    nowhere = pyriver_command(database, "queues", "pause", "reports")
    assert nowhere.returncode == 1 and 'queue "reports" not found' in nowhere.stderr
    # River records a queue when a client first works it.
    workers = pyriver.Workers()
    workers.add("other_kind", lambda job: None)
    with pyriver.Client(
        database.url, workers=workers, queues={"reports": pyriver.QueueConfig(max_workers=1)}
    ) as client:
        client.start()
        wait_for(lambda: client.queue_list(), what="the queue to be recorded")
        client.stop()
    assert pyriver_command(database, "queues", "pause", "reports").returncode == 0
    queues = json.loads(pyriver_command(database, "queues", "list", "--json").stdout)
    assert [(queue["name"], queue["paused_at"] is not None) for queue in queues] == [("reports", True)]


def test_worker_runs_an_applications_handlers_until_sigterm(database: Database, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        textwrap.dedent("""
        import pyriver
        workers = pyriver.Workers()
        workers.add("greet", lambda job: {"greeted": job.args["name"]})
        """)
    )
    with pyriver.Client(database.url) as client:
        client.migrate()
        job = client.insert(AnyKind("greet", name="ada")).job
        worker = subprocess.Popen(
            [sys.executable, "-m", "pyriver", "worker", "app:workers", "--queue", "default=2"],
            env={**os.environ, "DATABASE_URL": database.url},
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            done = wait_for(lambda: (row := client.job_get(job.id)).finalized_at and row, what="the job")
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert done.output == {"greeted": "ada"}


def test_clear_errors_for_missing_url_and_bad_app(database: Database, tmp_path: Path) -> None:
    no_url = subprocess.run(
        [sys.executable, "-m", "pyriver", "validate"],
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert no_url.returncode != 0 and "DATABASE_URL" in no_url.stderr
    bad_app = pyriver_command(database, "worker", "no_such_module:workers", cwd=tmp_path)
    assert bad_app.returncode != 0 and "cannot import no_such_module" in bad_app.stderr
