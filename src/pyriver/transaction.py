"""Application transactions: River operations and the application's own SQL,
committed or rolled back together."""

from __future__ import annotations

from typing import Any

from . import _native
from ._wire import check_str, sql_params_to_wire
from ._handle import OwnsHandle
from ._operations import Operations
from .errors import ClientClosedError
from .insert_middleware import JobInsertMiddleware
from .results import QueryResult


class Transaction(Operations, OwnsHandle):
    """A database transaction held by the Go side, from
    :meth:`Client.transaction`.

    Every River operation of the client is available on it (``insert``,
    ``job_list``, ``queue_pause``...) and runs inside the transaction, as
    River's ``...Tx`` methods do. ``execute`` and ``query`` run the
    application's own SQL with the database's placeholders (``$1`` on
    PostgreSQL, ``?`` on SQLite). Used as a context manager it commits on
    normal exit and rolls back on an exception.

    On SQLite the client has a single connection: while a transaction is open,
    operations on the client itself (not the transaction) wait for it.
    """

    def __init__(self, client_handle: int, insert_middleware: tuple[JobInsertMiddleware, ...] = ()) -> None:
        self._client_handle = client_handle
        self._insert_middleware = insert_middleware
        self._handle: int | None = None
        self._handle = _native.call("tx_begin", {"client": client_handle})

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        if self._handle is None:
            raise ClientClosedError("transaction is finished (committed or rolled back)")
        request["client"] = self._client_handle
        request["tx"] = self._handle
        return _native.call(method, request)

    def execute(self, sql: str, *params: Any) -> int:
        """Run a statement and return the number of rows it affected."""
        request = {"sql": check_str(sql, "sql"), "params": sql_params_to_wire(params)}
        return int(self._call("tx_execute", request))

    def query(self, sql: str, *params: Any) -> QueryResult:
        """Run a query and return its columns and rows. Values come back as
        JSON-compatible Python values (timestamps as ISO 8601 text)."""
        result = self._call("tx_query", {"sql": check_str(sql, "sql"), "params": sql_params_to_wire(params)})
        return QueryResult(columns=result["columns"], rows=[tuple(row) for row in result["rows"]])

    def commit(self) -> None:
        """Commit. The transaction cannot be used afterwards."""
        self._finish("tx_commit")

    def rollback(self) -> None:
        """Roll back. Idempotent; the transaction cannot be used afterwards."""
        if self._handle is not None:
            self._finish("tx_rollback")

    def _finish(self, method: str) -> None:
        self._call(method, {})
        self._handle = None

    def close(self) -> None:
        """Roll back if not finished: an abandoned transaction must not hold
        its connection."""
        self.rollback()

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None and self._handle is not None:
            self.commit()
        else:
            self.rollback()
