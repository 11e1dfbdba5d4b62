"""asyncio clients: the synchronous API as coroutines.

Each call runs the synchronous method in a worker thread. Calls into Go
release the GIL, so the event loop keeps running while River works, and many
calls from one loop run in Go at once (up to ``max_concurrency``). The
coroutines themselves are generated from the synchronous classes
(``_async_api``), so the two APIs cannot drift.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

from ._appconn import LoopBridge, async_adapter_for
from ._async_api import AsyncClientWork, AsyncMigrations, AsyncOperations, AsyncTransactionStatements
from ._operations import InsertManyItem
from .app_connection import AppConnection
from .client import Client
from .options import AnyInsertOpts
from .periodic import PeriodicJobBundle
from .types import JobInsertResult
from .errors import ClientClosedError
from .transaction import Transaction

R = TypeVar("R")


class AsyncClient(AsyncOperations[Client], AsyncMigrations[Client], AsyncClientWork):
    """:class:`~pyriver.Client` for asyncio applications, with everything it
    does: ``options`` are :class:`~pyriver.Client`'s keyword arguments
    (``workers``, ``queues``, ``middleware``, ``insert_middleware``,
    ``periodic_jobs``, ``operation_timeout``...), and every operation is a
    coroutine.

    Construction does not block: the database is opened by the first call (or
    ``async with``). Errors are the synchronous client's.
    """

    def __init__(self, url: str, *, max_concurrency: int = 32, **options: Any) -> None:
        self._url = url
        self._options = options
        self._client: Client | None = None
        self._is_closed = False
        self._open_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="pyriver")

    def _target(self) -> Client:
        with self._open_lock:
            if self._is_closed:
                raise ClientClosedError("client is closed")
            if self._client is None:
                self._client = Client(self._url, **self._options)
            return self._client

    def _closed(self) -> bool:
        return self._is_closed

    @property
    def url(self) -> str:
        """The database URL the client was opened with."""
        return self._url

    async def open(self) -> AsyncClient:
        """Connect now rather than on the first call."""
        await self._opened()
        return self

    async def _opened(self) -> Client:
        """The synchronous client, opened in a worker thread the first time
        (opening waits for the database) and returned at once afterwards."""
        if self._client is not None and not self._is_closed:
            return self._client
        return await self._run(self._target)

    async def close(self) -> None:
        """Close the client; idempotent."""
        with self._open_lock:
            self._is_closed = True
            client, self._client = self._client, None
        if client is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, client.close)
        self._executor.shutdown(wait=False)

    async def __aenter__(self) -> AsyncClient:
        return await self.open()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def run(self, stop_timeout: timedelta | float | None = None) -> None:
        """Work jobs until this coroutine is cancelled (``asyncio.run`` cancels
        it on Ctrl-C; a task can be cancelled on SIGTERM), then stop
        gracefully, as :meth:`Client.stop` does."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop(stop_timeout)

    @property
    def periodic_jobs(self) -> PeriodicJobBundle:
        """The client's periodic jobs (:class:`~pyriver.PeriodicJobBundle`;
        its calls are quick). Opens the client if no call has yet."""
        return self._target().periodic_jobs

    def transaction(self) -> AsyncTransaction:
        """A transaction for ``async with``: commits on normal exit, rolls
        back on an exception."""
        return AsyncTransaction(self)

    def on(self, conn: Any) -> AsyncAppConnection:
        """River's operations inside the application's transaction on an
        async connection: a psycopg ``AsyncConnection`` or SQLAlchemy
        ``AsyncConnection``/``AsyncSession`` (or any synchronous connection
        :meth:`Client.on` takes). Statements run on the event loop."""
        return AsyncAppConnection(self, conn)

    async def insert_tx(self, conn: Any, args: Any, insert_opts: AnyInsertOpts | None = None) -> JobInsertResult:
        """Insert a job inside the application's transaction on ``conn``."""
        return await self.on(conn).insert(args, insert_opts)

    async def insert_many_tx(self, conn: Any, items: Iterable[InsertManyItem]) -> list[JobInsertResult]:
        """Insert jobs inside the application's transaction on ``conn``, all or none."""
        return await self.on(conn).insert_many(items)


class AsyncTransaction(AsyncOperations[Transaction], AsyncTransactionStatements):
    """:class:`~pyriver.Transaction` for asyncio, from
    :meth:`AsyncClient.transaction`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._executor = client._executor
        self._transaction: Transaction | None = None

    def _target(self) -> Transaction:
        if self._transaction is None:
            raise ClientClosedError("transaction not started: use `async with client.transaction() as tx`")
        return self._transaction

    def _closed(self) -> bool:
        return self._client._closed()

    async def __aenter__(self) -> AsyncTransaction:
        self._transaction = await self._run(lambda: self._client._target().transaction())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        transaction = self._target()
        await self._run(transaction.__exit__, *exc_info)


class AsyncAppConnection(AsyncOperations[AppConnection], AsyncMigrations[AppConnection]):
    """:class:`~pyriver.AppConnection` for asyncio, from
    :meth:`AsyncClient.on`. An async connection's statements are awaited on
    the running event loop; a synchronous connection is used from the worker
    thread, as :meth:`Client.on` would."""

    def __init__(self, client: AsyncClient, conn: Any) -> None:
        self._client = client
        self._conn = conn
        self._executor = client._executor
        self._operations: AppConnection | None = None

    def _target(self) -> AppConnection:
        assert self._operations is not None, "set by _run"
        return self._operations

    def _closed(self) -> bool:
        return self._client._closed()

    async def _run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        if self._closed():
            raise ClientClosedError("client is closed")
        loop = asyncio.get_running_loop()
        client = await self._client._opened()
        adapter = await async_adapter_for(self._conn)
        if adapter is None:  # a synchronous connection
            self._operations = client.on(self._conn)
        else:
            bridge = LoopBridge(adapter, loop)
            self._operations = AppConnection(client._target(), lambda: bridge, client._insert_chain)
        return await super()._run(function, *args, **kwargs)
