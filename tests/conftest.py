"""Fixtures: every database test runs on both River drivers.

``database`` is a fresh, empty database per test, on SQLite (a file in the
test's temp dir) and on PostgreSQL (a new database on the session's throwaway
server). ``client`` is a pyriver client on it, migrated with River's own
migrations.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

import pyriver
from pgserver import PostgresServer

# The examples' args mirrors of the Go worker program's kinds, shared with the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Database:
    """A test database and a way to query it without going through pyriver."""

    driver: str
    url: str
    _postgres: PostgresServer | None = None
    _name: str = ""

    def scalar(self, sql: str) -> str:
        if self._postgres is not None:
            return self._postgres.psql(sql, self._name)
        with sqlite3.connect(urlparse(self.url).path[1:], timeout=30) as conn:
            return str(conn.execute(sql).fetchone()[0])

    def execute(self, sql: str) -> None:
        """Run a statement outside pyriver, as another program would."""
        if self._postgres is not None:
            self._postgres.psql(sql, self._name)
            return
        with sqlite3.connect(urlparse(self.url).path[1:], timeout=30) as conn:
            conn.execute(sql)

    def job_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM river_job"))


_database_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database("sqlite", f"sqlite:///{tmp_path}/test.db")
    postgres: PostgresServer = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    postgres.psql(f"CREATE DATABASE {name}")
    return Database("postgres", postgres.url(name), postgres, name)


@pytest.fixture
def client(database: Database) -> Iterator[pyriver.Client]:
    with pyriver.Client(database.url) as client:
        client.migrate()
        yield client
