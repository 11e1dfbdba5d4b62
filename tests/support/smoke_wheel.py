"""Smoke test of an installed pyriver wheel, run by `make test-packaging` in
a fresh virtual environment whose PATH has no Go.

Usage: python smoke_wheel.py [--postgres | --postgres-url URL]

--postgres starts a throwaway PostgreSQL server (tools/pgserver.py);
--postgres-url uses one already running (the arm64 root's test reaches the
host's on loopback).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

import pyriver


@dataclasses.dataclass
class Ping:
    kind = "ping"
    n: int


def round_trip(url: str) -> None:
    with pyriver.Client(url) as client:
        client.migrate()
        job = client.insert(Ping(42)).job
        assert client.job_get(job.id).args == {"n": 42}, "job did not round-trip"
        with client.serve_ui() as ui, urllib.request.urlopen(ui.url + "api/jobs?state=available", timeout=30) as page:
            assert b'"ping"' in page.read(), "River UI does not list the job"
    print(f"ok: migrate/insert/get and River UI on {url.split(':')[0]}")


def calls_python_back() -> None:
    """The library finds CPython's C API in the process, whatever the Python
    version or architecture: operations on the application's connection then
    run in one call (the integration tests cover what they do)."""
    from pyriver._bridge import calls

    assert calls.app_run_available(), "the library cannot reach CPython's C API"
    print("ok: the library calls Python back on the calling thread")


def main() -> None:
    assert shutil.which("go") is None, "the smoke test must run without Go on PATH"
    assert "site-packages" in pyriver.__file__, f"pyriver imported from {pyriver.__file__}, not the wheel"
    print(f"pyriver {pyriver.__version__} from {Path(pyriver.__file__).parent}, {pyriver.library_info()}")
    with tempfile.TemporaryDirectory() as tmp:
        round_trip(f"sqlite:///{tmp}/smoke.db")
    calls_python_back()
    if "--postgres-url" in sys.argv:
        round_trip(sys.argv[sys.argv.index("--postgres-url") + 1])
    elif "--postgres" in sys.argv:
        spec = importlib.util.spec_from_file_location(
            "pgserver", Path(__file__).resolve().parents[2] / "tools" / "pgserver.py"
        )
        assert spec and spec.loader
        pgserver = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(pgserver)
        server = pgserver.PostgresServer()
        server.start()
        try:
            round_trip(server.url())
        finally:
            server.stop()


if __name__ == "__main__":
    main()
