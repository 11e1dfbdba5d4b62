"""Application transactions: River operations and the application's own SQL,
committed or rolled back together."""

from __future__ import annotations

from typing import Any

from ._bridge import calls
from ._bridge.targets import ClientHandle, TxHandle
from ._handle import OwnsHandle
from ._operations import Operations
from .errors import ClientClosedError
from .insert_middleware import InsertChain
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

    def __init__(self, client: ClientHandle, insert_chain: InsertChain = InsertChain()) -> None:
        self._insert_chain = insert_chain
        self._handle: TxHandle | None = None
        self._handle = calls.tx_begin(client)

    def _target(self) -> TxHandle:
        if self._handle is None:
            raise ClientClosedError("transaction is finished (committed or rolled back)")
        return self._handle

    def execute(self, sql: str, *params: Any) -> int:
        """Run a statement and return the number of rows it affected."""
        return calls.tx_execute(self._target(), sql, params)

    def query(self, sql: str, *params: Any) -> QueryResult:
        """Run a query and return its columns and rows. Values come back as
        JSON-compatible Python values (timestamps as ISO 8601 text)."""
        return calls.tx_query(self._target(), sql, params)

    def commit(self) -> None:
        """Commit. The transaction cannot be used afterwards."""
        tx = self._target()
        self._handle = None
        calls.tx_commit(tx)

    def rollback(self) -> None:
        """Roll back. Idempotent; the transaction cannot be used afterwards."""
        tx, self._handle = self._handle, None
        if tx is None:
            return
        try:
            calls.tx_rollback(tx)
        except ClientClosedError:
            pass  # closing the client rolled the transaction back

    def close(self) -> None:
        """Roll back if not finished: an abandoned transaction must not hold
        its connection."""
        self.rollback()

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None and self._handle is not None:
            self.commit()
        else:
            self.rollback()
