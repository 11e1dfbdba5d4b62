"""The repository's Go programs, run by the interoperability tests: the Go
worker (the Go half of a mixed deployment), interopcheck (River's Go API
doing what the tests then check from Python) and otelcheck (River with
otelriver, for tracing across languages)."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


BIN = Path(__file__).resolve().parents[2] / "bin"


@contextmanager
def go_worker(url: str, *flags: str) -> Iterator[subprocess.Popen[str]]:
    """Run pyriver-worker until the block ends, then stop it with SIGTERM."""
    process = subprocess.Popen(
        [str(BIN / "pyriver-worker"), "-database-url", url, "-retry-delay", "100ms", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if line.strip() != "ready":
            process.kill()
            raise RuntimeError(
                f"pyriver-worker did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
            )
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def interopcheck(url: str, command: str, stdin: Any = None) -> Any:
    return _run_json("interopcheck", url, command, stdin=stdin)


def otelcheck(url: str, command: str, *flags: str) -> Any:
    """Run the independent Go program with River's otelriver middleware
    (tests/interop/otelcheck): its output and the spans it recorded."""
    return _run_json("otelcheck", url, command, *flags)


def _run_json(program: str, url: str, command: str, *flags: str, stdin: Any = None) -> Any:
    result = subprocess.run(
        [str(BIN / program), "-database-url", url, *flags, command],
        input=None if stdin is None else json.dumps(stdin),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{program} {command} failed: {result.stderr}")
    return json.loads(result.stdout) if result.stdout.strip() else None
