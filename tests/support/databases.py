"""Test databases on both River drivers, and a way to query them without pyriver.

A SQLite database is a file in the test's temp dir; a PostgreSQL database is a
new database on the session's throwaway server (the ``postgres`` fixture).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pgserver import PostgresServer


# Runs one statement on a SQLite file and prints the first column of its
# first row; run in a child process by Database.
_SQLITE_QUERY = """
import sqlite3, sys
from contextlib import closing
try:
    if sqlite3.sqlite_version_info < (3, 45):
        import pysqlite3.dbapi2 as sqlite3
except ImportError:
    pass
with closing(sqlite3.connect(sys.argv[1], timeout=30)) as conn, conn:
    row = conn.execute(sys.argv[2]).fetchone()
print("" if row is None else row[0])
"""


def sqlite_module() -> Any:
    """The SQLite DB-API module the tests use: Python's sqlite3 if its SQLite
    runs River's schema (3.45+), otherwise pysqlite3, which bundles a recent
    SQLite. Tests that use the application's own connections use it too:
    one process must reach a SQLite file through one SQLite library only,
    or closing a connection of one drops the other's locks."""
    if sqlite3.sqlite_version_info >= (3, 45):
        return sqlite3
    import pysqlite3.dbapi2

    return pysqlite3.dbapi2


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
        return self._sqlite_in_another_process(sql)

    def execute(self, sql: str) -> None:
        """Run a statement outside pyriver, as another program would."""
        if self._postgres is not None:
            self._postgres.psql(sql, self._name)
            return
        self._sqlite_in_another_process(sql)

    def _sqlite_in_another_process(self, sql: str) -> str:
        """SQLite from another process: a second SQLite library in this one
        (beside pyriver's) would drop pyriver's locks on the file when its
        connection closes, and can lose committed data."""
        result = subprocess.run(
            [sys.executable, "-c", _SQLITE_QUERY, self.sqlite_path, sql],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"sqlite query failed: {result.stderr}")
        return result.stdout.strip()

    @property
    def sqlite_path(self) -> str:
        """The file, read as River reads sqlite:// URLs: everything after it."""
        path = self.url.removeprefix("sqlite://").split("?", 1)[0]
        return path[1:] if path.startswith("//") else path

    def job_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM river_job"))

    def job_count_in(self, state: str) -> int:
        return int(self.scalar(f"SELECT count(*) FROM river_job WHERE state = '{state}'"))


_database_numbers = itertools.count()


def new_database(driver: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh, empty database on the driver ("sqlite" or "postgres")."""
    if driver == "sqlite":
        return Database("sqlite", f"sqlite:///{tmp_path}/test.db")
    postgres: PostgresServer = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    postgres.psql(f"CREATE DATABASE {name}")
    return Database("postgres", postgres.url(name), postgres, name)


# A query that keeps the database busy for a noticeable time on each engine.
SLOW_QUERY = {
    "postgres": "SELECT pg_sleep(0.5)",
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c",
}
