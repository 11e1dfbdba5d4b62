"""Async connections, driven from the application's event loop.

An operation's Python side (encoding, decoding, insert middleware) runs in a
worker thread, as every AsyncClient call does; each statement River makes is
sent back to the event loop and awaited there on the application's async
connection. The loop is never blocked: it only runs the statements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, ClassVar

from .adapters import ConnectionAdapter, _loaded, adapter_for, postgres_text_reply, psycopg_autocommit_idle
from .values import pyformat_args


class AsyncConnectionAdapter:
    """ConnectionAdapter's shape, with coroutines."""

    dialect: ClassVar[dict[str, Any]]
    database_errors: tuple[type[BaseException], ...]

    async def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def autocommit_idle(self) -> bool:
        """ConnectionAdapter._autocommit_idle."""
        raise NotImplementedError

    async def run_plain(self, sql: str) -> None:
        raise NotImplementedError


class AsyncPsycopgAdapter(AsyncConnectionAdapter):
    dialect = {"database": "postgres", "pyformat": True}

    def __init__(self, conn: Any) -> None:
        import psycopg

        self._psycopg = psycopg
        self._conn = conn
        self.database_errors = (psycopg.Error,)

    async def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        async with self._psycopg.AsyncCursor(self._conn) as cursor:
            await cursor.execute(statement["sql"], pyformat_args(statement["args"]))
            return postgres_text_reply(cursor.pgresult, cursor.rowcount)

    def autocommit_idle(self) -> bool:
        return psycopg_autocommit_idle(self._conn)

    async def run_plain(self, sql: str) -> None:
        await self._conn.execute(sql)


class LoopBridge(ConnectionAdapter):
    """A synchronous adapter, for the worker thread, whose statements run on
    the event loop through an async adapter."""

    def __init__(self, adapter: AsyncConnectionAdapter, loop: asyncio.AbstractEventLoop) -> None:
        self._adapter = adapter
        self._loop = loop
        self.dialect = adapter.dialect  # type: ignore[misc]
        self.database_errors = adapter.database_errors

    def _on_loop(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._on_loop(self._adapter.execute(statement))
        return result

    def _autocommit_idle(self) -> bool:
        return self._adapter.autocommit_idle()

    def _run_plain(self, sql: str) -> None:
        self._on_loop(self._adapter.run_plain(sql))


async def async_adapter_for(conn: Any) -> AsyncConnectionAdapter | None:
    """The adapter for an async connection, unwrapping SQLAlchemy's
    AsyncSession and AsyncConnection; None for a synchronous connection
    that adapter_for accepts."""
    dbapi = await _async_driver_connection(conn)
    if (psycopg := _loaded("psycopg")) is not None and isinstance(dbapi, psycopg.AsyncConnection):
        return AsyncPsycopgAdapter(dbapi)
    if (asyncpg := _loaded("asyncpg")) is not None and isinstance(dbapi, asyncpg.Connection):
        from .asyncpg_adapter import AsyncpgAdapter

        return AsyncpgAdapter(dbapi, asyncpg)
    adapter_for(dbapi)  # raises for anything that is not a supported connection
    return None


async def _async_driver_connection(conn: Any) -> Any:
    if (orm := _loaded("sqlalchemy.ext.asyncio")) is not None:
        if isinstance(conn, orm.AsyncSession):
            conn = await conn.connection()
        if isinstance(conn, orm.AsyncConnection):
            if not conn.in_transaction():
                await conn.begin()
            raw = await conn.get_raw_connection()
            if (asyncpg := _loaded("asyncpg")) is not None and isinstance(raw.driver_connection, asyncpg.Connection):
                if not raw.driver_connection.is_in_transaction():
                    # SQLAlchemy starts asyncpg's transaction with its first
                    # statement; River's must not run before it.
                    await conn.exec_driver_sql("SELECT 1")
            return raw.driver_connection
    if (psycopg := _loaded("psycopg")) is not None and isinstance(conn, psycopg.AsyncCursor):
        return conn.connection
    return conn
