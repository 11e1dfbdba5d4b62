"""The application connections pyriver accepts, each opened the way an
application would open it, with the application's own writes and its own
commit and rollback. Every test of the application-transaction suite runs
on each of them."""

from __future__ import annotations

import itertools
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from support.databases import Database, sqlite_module


class RollBack(Exception):
    """Raised inside ``AppConnection.transaction()`` to roll back quietly."""


@dataclass
class _Connection:
    """One application connection: ``conn`` is what the application passes
    to ``client.on``; ``execute`` runs the application's own SQL on it."""

    kind: str
    conn: Any
    execute: Callable[[str], Any]
    commit: Callable[[], Any]
    rollback: Callable[[], Any]
    close: Callable[[], Any]


@dataclass
class AppConnection(_Connection):
    # Some frameworks open a transaction explicitly (Django's atomic()).
    begin: Callable[[], Any] = field(default=lambda: None)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit on normal exit; roll back on RollBack (swallowed) or any
        other exception (re-raised)."""
        self.begin()
        try:
            yield
        except RollBack:
            self.rollback()
            return
        except BaseException:
            self.rollback()
            raise
        self.commit()


SYNC_KINDS = {
    "postgres": [
        "psycopg",
        "psycopg-cursor",
        "psycopg2",
        "sqlalchemy-connection-psycopg",
        "sqlalchemy-session-psycopg2",
        "django",
    ],
    "sqlite": ["sqlite3", "sqlalchemy-session-sqlite", "django"],
}
ASYNC_KINDS = ["psycopg-async", "asyncpg", "sqlalchemy-async-session-psycopg", "sqlalchemy-async-session-asyncpg"]


def postgres_dsn(database: Database) -> str:
    return database.url.replace("postgres://", "postgresql://", 1)


def open_sync(kind: str, database: Database) -> AppConnection:
    if kind in ("psycopg", "psycopg-cursor"):
        import psycopg

        conn = psycopg.connect(postgres_dsn(database))
        target = conn.cursor() if kind == "psycopg-cursor" else conn
        return AppConnection(kind, target, conn.execute, conn.commit, conn.rollback, conn.close)
    if kind == "psycopg2":
        import psycopg2

        conn2 = psycopg2.connect(postgres_dsn(database))

        def execute2(sql: str) -> None:
            with conn2.cursor() as cursor:
                cursor.execute(sql)

        return AppConnection(kind, conn2, execute2, conn2.commit, conn2.rollback, conn2.close)
    if kind == "sqlite3":
        conn3 = sqlite_module().connect(database.sqlite_path, timeout=30)
        return AppConnection(kind, conn3, conn3.execute, conn3.commit, conn3.rollback, conn3.close)
    if kind.startswith("sqlalchemy-"):
        return _open_sqlalchemy(kind, database)
    if kind == "django":
        return _open_django(database)
    raise ValueError(kind)


def _sqlalchemy_url(kind: str, database: Database) -> str:
    if database.driver == "sqlite":
        return f"sqlite:///{database.sqlite_path}"
    driver = kind.rsplit("-", 1)[1]
    url = postgres_dsn(database).replace("postgresql://", f"postgresql+{driver}://", 1)
    return url.replace("sslmode=", "ssl=") if driver == "asyncpg" else url  # asyncpg's spelling


def _open_sqlalchemy(kind: str, database: Database) -> AppConnection:
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    options = {"module": sqlite_module()} if database.driver == "sqlite" else {}
    engine = create_engine(_sqlalchemy_url(kind, database), **options)
    holder: Any = engine.connect() if "-connection-" in kind else Session(engine)

    def close() -> None:
        holder.close()
        engine.dispose()

    return AppConnection(kind, holder, lambda sql: holder.execute(text(sql)), holder.commit, holder.rollback, close)


_django_aliases = itertools.count()


def _open_django(database: Database) -> AppConnection:
    import django
    from django.conf import settings
    from django.db import connections, transaction

    if not settings.configured:
        # Django's SQLite backend imports sqlite3 by name; pysqlite3 stands
        # in for it where Python's SQLite is too old, as its documentation
        # suggests.
        module = sqlite_module()
        if module.__name__ == "pysqlite3.dbapi2":
            sys.modules["sqlite3"], sys.modules["sqlite3.dbapi2"] = sys.modules["pysqlite3"], module
        settings.configure(DATABASES={}, USE_TZ=True, INSTALLED_APPS=[])
        django.setup()
    alias = f"app{next(_django_aliases)}"
    if database.driver == "sqlite":
        config: dict[str, Any] = {"ENGINE": "django.db.backends.sqlite3", "NAME": database.sqlite_path}
    else:
        url = urlparse(database.url)
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path[1:],
            "USER": url.username,
            "HOST": url.hostname,
            "PORT": url.port,
        }
    with_defaults = connections.configure_settings({"default": {"ENGINE": "django.db.backends.dummy"}, alias: config})
    connections.settings[alias] = with_defaults[alias]
    conn = connections[alias]
    blocks: list[Any] = []

    def begin() -> None:
        blocks.append(transaction.atomic(using=alias))
        blocks[-1].__enter__()

    def end(exc: BaseException | None) -> None:
        block = blocks.pop()
        block.__exit__(type(exc) if exc else None, exc, None)

    def execute(sql: str) -> None:
        with conn.cursor() as cursor:
            cursor.execute(sql)

    def close() -> None:
        conn.close()
        del connections[alias]

    return AppConnection(
        "django",
        conn,
        execute,
        lambda: end(None),
        lambda: end(RollBack()),
        close,
        begin=begin,
    )


async def _no_begin() -> None:
    return None


@dataclass
class AsyncAppConnection(_Connection):
    """An async application connection; its callables are coroutine functions."""

    # asyncpg has no implicit transactions: the application opens one.
    begin: Callable[[], Any] = field(default=_no_begin)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        await self.begin()
        try:
            yield
        except RollBack:
            await self.rollback()
            return
        except BaseException:
            await self.rollback()
            raise
        await self.commit()


async def open_async(kind: str, database: Database) -> AsyncAppConnection:
    if kind == "psycopg-async":
        import psycopg

        conn = await psycopg.AsyncConnection.connect(postgres_dsn(database))
        return AsyncAppConnection(kind, conn, conn.execute, conn.commit, conn.rollback, conn.close)
    if kind == "asyncpg":
        import asyncpg

        connection = await asyncpg.connect(postgres_dsn(database))
        transactions: list[Any] = []

        async def begin_if_needed() -> None:
            if not connection.is_in_transaction():
                transactions.append(connection.transaction())
                await transactions[-1].start()

        async def execute(sql: str) -> None:
            await begin_if_needed()
            await connection.execute(sql)

        async def finish(commit: bool) -> None:
            if transactions:
                transaction = transactions.pop()
                await (transaction.commit() if commit else transaction.rollback())

        return AsyncAppConnection(
            kind, connection, execute, lambda: finish(True), lambda: finish(False), connection.close, begin_if_needed
        )
    if kind.startswith("sqlalchemy-async-session-"):
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        engine = create_async_engine(_sqlalchemy_url(kind, database))
        session = AsyncSession(engine)

        async def close() -> None:
            await session.close()
            await engine.dispose()

        return AsyncAppConnection(
            kind, session, lambda sql: session.execute(text(sql)), session.commit, session.rollback, close
        )
    raise ValueError(kind)
