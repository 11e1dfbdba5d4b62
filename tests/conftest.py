"""Fixtures: every database test runs on both River drivers.

``database`` is a fresh, empty database per test, on SQLite (a file in the
test's temp dir) and on PostgreSQL (a new database on the session's throwaway
server). ``client`` is a pyriver client on it, migrated with River's own
migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import pyriver
from pgserver import PostgresServer
from support.databases import Database, new_database


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    return new_database(request.param, request, tmp_path)


@pytest.fixture
def postgres_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A PostgreSQL database with River's schema, for tests of PostgreSQL-only behaviour."""
    database = new_database("postgres", request, tmp_path)
    with pyriver.Client(database.url) as client:
        client.migrate()
    return database


@pytest.fixture
def client(database: Database) -> Iterator[pyriver.Client]:
    with pyriver.Client(database.url) as client:
        client.migrate()
        yield client


@pytest.fixture(params=["one call", "statement steps"])
def statement_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways River's statements reach the application's connection: one
    call into Go that calls Python back on the same thread (where CPython's C
    API can be reached, which is everywhere these tests run), and the step by
    step exchange pyriver falls back to elsewhere."""
    from pyriver._bridge import calls

    if request.param == "statement steps":
        monkeypatch.setattr(calls, "app_run_available", lambda: False)
    else:
        assert calls.app_run_available()
    return str(request.param)
