"""The README's examples, and the documentation's, run as written."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import pyriver
from support.databases import Database
from support.waiting import wait_for
from support.webservers import uvicorn_serving

README = Path(__file__).resolve().parents[2] / "README.md"
GETTING_STARTED = README.parent / "docs" / "getting-started.md"

# What a Django project's settings.py would hold, for the Django example.
DJANGO_SETTINGS = """
import json
import os
from urllib.parse import urlparse
import django
from django.conf import settings
_url = urlparse(os.environ["DATABASE_URL"])
settings.configure(USE_TZ=True, DATABASES={"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": _url.path[1:], "USER": _url.username,
    "HOST": _url.hostname, "PORT": _url.port}})
django.setup()
"""


def section_code(heading: str) -> str:
    """The python code blocks of a README section, in order, as one script."""
    text = README.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return python_blocks(section)


def python_blocks(markdown: str) -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", markdown, re.DOTALL))


def run_section(heading: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a section's code as a new user would, in an empty directory."""
    result = subprocess.run(
        [sys.executable, "-c", section_code(heading)], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, textwrap.indent(result.stderr, "  ")
    return result


def test_enqueue_in_your_transaction(postgres_database: Database) -> None:
    postgres_database.execute("CREATE TABLE orders (id integer PRIMARY KEY)")
    script = DJANGO_SETTINGS + section_code("Enqueue in your transaction")
    url = postgres_database.url.replace("postgres://", "postgresql://", 1)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, textwrap.indent(result.stderr, "  ")
    assert postgres_database.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM orders") == "1,2,3,4,5"
    with pyriver.Client(postgres_database.url) as client:
        jobs = client.job_list(kinds=["send_receipt"]).jobs
    assert [job.args["order_id"] for job in jobs] == [1, 2, 3, 4, 5]
    assert jobs[1].queue == "mail"


def test_getting_started_page(tmp_path: Path) -> None:
    """docs/getting-started.md, every block in order, in an empty directory."""
    script = python_blocks(GETTING_STARTED.read_text())
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, textwrap.indent(result.stderr, "  ")
    assert result.stdout.splitlines()[0] == "1 available"
    assert "sending to ada@example.com attempt 1" in result.stdout
    assert "sending to grace@example.com attempt 1" in result.stdout


def test_mixed_deployments(tmp_path: Path) -> None:
    run_section("Mixed deployments: Python inserts, Go works", tmp_path)
    assert (tmp_path / "unique-example.db").exists()


def test_inserting_then_working_jobs(tmp_path: Path) -> None:
    """The first insert example, then the worker example that works its job,
    as a new user runs them: one script in an empty directory, stopped with
    Ctrl-C once the job is done."""
    script = section_code("Inserting jobs") + "\n" + section_code("Working jobs in Python")
    worker = subprocess.Popen(
        [sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        database = Database("sqlite", f"sqlite://{tmp_path}/app.db")
        wait_for(
            lambda: (
                (tmp_path / "app.db").exists()
                and database.scalar("SELECT count(*) FROM river_job WHERE state = 'completed'") == "1"
            ),
            what="the README's job to be worked",
        )
    finally:
        worker.send_signal(signal.SIGINT)
        out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert "sending to ada@example.com" in out


def test_tracing_with_opentelemetry(tmp_path: Path) -> None:
    result = run_section("Tracing with OpenTelemetry", tmp_path)
    spans = _console_spans(result.stdout)
    by_name = {span["name"]: span for span in spans}
    assert {"POST /images", "river.insert_many", "river.work", "resize.decode"} <= set(by_name)
    insert, work = by_name["river.insert_many"], by_name["river.work"]
    assert insert["parent_id"] == by_name["POST /images"]["context"]["span_id"]
    assert [link["context"]["span_id"] for link in work["links"]] == [insert["context"]["span_id"]]
    assert by_name["resize.decode"]["parent_id"] == work["context"]["span_id"]
    assert "resizing cat.png" in result.stdout


def _console_spans(stdout: str) -> list[dict[str, Any]]:
    """The spans OpenTelemetry's ConsoleSpanExporter printed (one JSON object each)."""
    decoder = json.JSONDecoder()
    spans, position = [], 0
    while (start := stdout.find("{", position)) != -1:
        span, position = decoder.raw_decode(stdout, start)
        spans.append(span)
    return spans


def test_river_ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(section_code("River UI"), namespace)
    client = namespace["client"]
    try:
        with uvicorn_serving(namespace["app"]) as base:
            with urllib.request.urlopen(base + "/riverui/", timeout=30) as page:
                assert page.status == 200 and b"<html" in page.read().lower()
    finally:
        client.close()
