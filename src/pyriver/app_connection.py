"""River's operations inside the application's own transaction.

``client.on(conn)`` runs any of River's transactional operations on a
connection the application holds (psycopg, psycopg2, sqlite3, a SQLAlchemy
connection or session, Django's connection), so a job and the data that
produced it commit or roll back together. River's own code builds and runs
every statement (defaults, unique keys, validation, insert middleware, the
notification that wakes workers at commit); only the statements' execution
happens in Python, on the application's connection.
"""

from __future__ import annotations

from collections.abc import Callable

from ._appconn import AppConnectionTarget, ConnectionAdapter
from ._bridge.targets import ClientHandle
from ._migrations import Migrations
from ._operations import Operations
from .insert_middleware import InsertChain


class AppConnection(Operations, Migrations):
    """River's operations on an application connection, from
    :meth:`Client.on`. Each call runs inside the connection's current
    transaction; pyriver never commits or rolls it back.

    A connection with no transaction open and autocommit on (Django outside
    ``atomic()``, psycopg with ``autocommit=True``, sqlite3 with
    ``isolation_level=None``) gets a transaction for each call, committed
    when the call succeeds, so each call is all-or-nothing as on the client.
    A database error raises :class:`~pyriver.DatabaseError` whose
    ``__cause__`` is the driver's exception; the transaction is left as the
    database left it (on PostgreSQL, aborted until rolled back).

    River's migrations run here too (``migrate``, ``migrate_down``,
    ``migrate_validate``, ``migrate_versions``), inside the application's
    transaction, as River's ``MigrateTx`` does.
    """

    def __init__(
        self,
        client: ClientHandle,
        adapter: Callable[[], ConnectionAdapter],
        insert_chain: InsertChain,
    ) -> None:
        self._connection = AppConnectionTarget(client, adapter)
        self._insert_chain = insert_chain

    def _target(self) -> AppConnectionTarget:
        return self._connection
