"""One adapter per DB-API driver: run a statement, say whether a transaction
is open, begin and end one. ``adapter_for`` finds the adapter for any
supported connection, unwrapping SQLAlchemy and Django objects."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from .._bridge import calls
from ..errors import InvalidArgumentError, InvalidArgumentTypeError
from .values import pyformat_args, python_args, sqlite_wire_value

ACCEPTED = (
    "psycopg.Connection, psycopg.Cursor, a psycopg2 connection or cursor, a sqlite3 (or pysqlite3) Connection, "
    "sqlalchemy Connection or Session, or django.db.connection (with AsyncClient also: psycopg.AsyncConnection, "
    "asyncpg.Connection, sqlalchemy AsyncConnection or AsyncSession)"
)


class ConnectionAdapter:
    """Runs River's statements on one application connection."""

    dialect: ClassVar[dict[str, Any]]
    database_errors: tuple[type[BaseException], ...]

    def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        """Run a statement and return Go's reply: rows with their columns
        (and type OIDs on PostgreSQL), or the number of rows affected."""
        raise NotImplementedError

    def enter_transaction(self) -> bool:
        """Make sure River's statements run in a transaction: the one open on
        the connection (False), or, on a connection in autocommit mode with
        none open, one begun now that the caller must end (True)."""
        if self._autocommit_idle():
            self.begin()
            return True
        return False

    def _autocommit_idle(self) -> bool:
        """True when no transaction is open and the connection commits each
        statement by itself (autocommit)."""
        raise NotImplementedError

    def begin(self) -> None:
        self._run_plain("BEGIN")

    def commit(self) -> None:
        self._run_plain("COMMIT")

    def rollback(self) -> None:
        self._run_plain("ROLLBACK")

    def _run_plain(self, sql: str) -> None:
        raise NotImplementedError


# --- PostgreSQL -------------------------------------------------------------


class PsycopgAdapter(ConnectionAdapter):
    """psycopg 3. Results are read in PostgreSQL's text format straight from
    libpq's result, whatever row factory or loaders the application set."""

    dialect = {"database": "postgres", "pyformat": True}

    def __init__(self, conn: Any) -> None:
        import psycopg

        self._psycopg = psycopg
        self._conn = conn
        self.database_errors = (psycopg.Error,)

    def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        # A plain cursor, not the connection's cursor_factory, which might
        # take other placeholders (RawCursor) or fetch in binary.
        with self._psycopg.Cursor(self._conn) as cursor:
            cursor.execute(statement["sql"], pyformat_args(statement["args"]))
            return postgres_text_reply(cursor.pgresult, cursor.rowcount)

    def _autocommit_idle(self) -> bool:
        return psycopg_autocommit_idle(self._conn)

    def _run_plain(self, sql: str) -> None:
        self._conn.execute(sql)


def psycopg_autocommit_idle(conn: Any) -> bool:
    """A psycopg connection (sync or async) in autocommit mode with no
    transaction open."""
    from psycopg import pq

    return bool(conn.autocommit) and conn.info.transaction_status == pq.TransactionStatus.IDLE


def postgres_text_reply(result: Any, rowcount: int) -> dict[str, Any]:
    """The reply for a libpq result read in text format (psycopg's PGresult)."""
    if result is None or result.nfields == 0:
        return {"rows_affected": max(rowcount, 0)}
    fields = range(result.nfields)
    rows = _psycopg_text_transformer_factory()()
    rows.set_pgresult(result)
    return {
        "columns": [result.fname(field).decode() for field in fields],
        "oids": [result.ftype(field) for field in fields],
        "rows": rows.load_rows(0, result.ntuples, list),
        "rows_affected": max(rowcount, 0),
    }


@functools.cache
def _psycopg_text_transformer_factory() -> Callable[[], Any]:
    """Makes psycopg Transformers that load every value as its text (UTF-8),
    the form Go decodes by type OID: their adapters hold only the loader for
    unknown types, which psycopg falls back on for every OID it has no
    loader for. ``load_rows`` reads a whole result in psycopg's C code: 6x
    faster than a loop over ``get_value`` for the 1,000 rows River's
    insert_many returns."""
    from psycopg.adapt import AdaptersMap, Transformer
    from psycopg.types.string import TextLoader

    adapters = AdaptersMap()
    adapters.register_loader(0, TextLoader)
    return functools.partial(Transformer, adapters)


# Type OIDs whose values psycopg2 would convert; a cursor of ours keeps them
# in PostgreSQL's text format instead, which is what Go decodes. Types not
# listed (River's job state enum, for one) already arrive as text.
_PSYCOPG2_TEXT_OIDS = (
    16,
    17,
    20,
    21,
    23,
    25,
    26,
    114,
    700,
    701,
    1043,
    1082,
    1083,
    1114,
    1184,
    1186,
    1266,
    1560,
    1562,
    1700,
    3802,
    199,
    1000,
    1001,
    1005,
    1007,
    1009,
    1015,
    1016,
    1021,
    1022,
    1115,
    1182,
    1185,
    1231,
    1561,
    1563,
    3807,
)


class Psycopg2Adapter(ConnectionAdapter):
    dialect = {"database": "postgres", "pyformat": True}

    def __init__(self, conn: Any, extensions: Any) -> None:
        self._extensions = extensions
        self._conn = conn
        self._as_text = extensions.new_type(_PSYCOPG2_TEXT_OIDS, "PYRIVER_TEXT", lambda value, _cursor: value)
        self.database_errors = (sys.modules["psycopg2"].Error,)

    def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        with self._extensions.cursor(self._conn) as cursor:
            self._extensions.register_type(self._as_text, cursor)
            cursor.execute(statement["sql"], pyformat_args(statement["args"]))
            if cursor.description is None:
                return {"rows_affected": max(cursor.rowcount, 0)}
            return {
                "columns": [column.name for column in cursor.description],
                "oids": [column.type_code for column in cursor.description],
                "rows": [list(row) for row in cursor.fetchall()],
                "rows_affected": max(cursor.rowcount, 0),
            }

    def _autocommit_idle(self) -> bool:
        idle = self._conn.get_transaction_status() == self._extensions.TRANSACTION_STATUS_IDLE
        return bool(self._conn.autocommit) and idle

    def _run_plain(self, sql: str) -> None:
        with self._conn.cursor() as cursor:
            cursor.execute(sql)


# --- SQLite ----------------------------------------------------------------


# River's SQLite schema stores args, metadata and errors as JSONB, which
# SQLite has had since 3.45 (January 2024).
MINIMUM_SQLITE = (3, 45, 0)

# The DB-API modules whose connections run River's SQLite statements: Python's
# sqlite3 (its C module, so that it is found even where an application
# replaced sys.modules["sqlite3"]), and pysqlite3 and sqlean, which bundle a
# recent SQLite for Pythons linked to an older one.
SQLITE_MODULES = ("_sqlite3", "pysqlite3.dbapi2", "sqlean.dbapi2")


class SQLiteAdapter(ConnectionAdapter):
    """sqlite3 and its drop-ins. River's SQLite statements use ?NNN
    placeholders, which sqlite3 takes as they are."""

    dialect = {"database": "sqlite", "pyformat": False}

    def __init__(self, conn: Any, module: Any) -> None:
        if tuple(int(part) for part in module.sqlite_version.split(".")) < MINIMUM_SQLITE:
            minimum = ".".join(map(str, MINIMUM_SQLITE))
            raise InvalidArgumentError(
                f"conn: River's SQLite schema needs SQLite {minimum} or later (JSONB), and this connection's "
                f"SQLite is {module.sqlite_version}; connect with pysqlite3 (pip install pysqlite3-binary) "
                "or use a Python linked to a newer SQLite",
                "conn",
            )
        self._conn = conn
        self._module = module
        self.database_errors = (module.Error,)
        self._refuse_a_file_pyriver_has_open()

    def _refuse_a_file_pyriver_has_open(self) -> None:
        """One SQLite library per file per process: Python's and pyriver's
        are separate copies, and two writing one file corrupt it (see
        go/internal/dburl/sqlite_guard.go). pyriver's own connections
        refuse to open a file another library has open; here, the other way
        round."""
        try:
            path = next((row[2] for row in self._conn.execute("PRAGMA database_list") if row[1] == "main"), "")
        except self.database_errors:
            return  # a closed connection, say: its first statement reports it as a DatabaseError
        if path and calls.sqlite_file_in_use(path):
            raise InvalidArgumentError(
                "conn: pyriver's own SQLite has this file open in this process (a client used directly, "
                "or one working jobs), and two SQLite libraries writing one file in one process corrupt it; "
                "run River's operations here only on this connection, or use the other client in another process",
                "conn",
            )

    def execute(self, statement: dict[str, Any]) -> dict[str, Any]:
        if not statement["args"] and not statement["returns_rows"]:
            return self._execute_script(statement["sql"])
        cursor = self._conn.execute(statement["sql"], python_args(statement["args"]))
        try:
            if cursor.description is None:
                return {"rows_affected": max(cursor.rowcount, 0)}
            rows = [[sqlite_wire_value(value) for value in row] for row in cursor.fetchall()]
            return {
                "columns": [column[0] for column in cursor.description],
                "rows": rows,
                "rows_affected": max(cursor.rowcount, 0),
            }
        finally:
            cursor.close()

    def _execute_script(self, script: str) -> dict[str, Any]:
        """Run a script of several statements (River's migrations) one
        statement at a time: sqlite3's execute takes one, and its
        executescript would commit the application's transaction first."""
        rows_affected = 0
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if self._module.complete_statement(statement):
                rows_affected += max(self._conn.execute(statement).rowcount, 0)
                statement = ""
        if statement.strip():
            rows_affected += max(self._conn.execute(statement).rowcount, 0)
        return {"rows_affected": rows_affected}

    def enter_transaction(self) -> bool:
        if self._conn.in_transaction:
            return False
        if super().enter_transaction():
            return True
        # sqlite3's implicit transactions begin only before data changes, so
        # River's other statements (its migrations, say) would run outside
        # the application's transaction: open it now, as the first data
        # change would, for the application to commit.
        self._run_plain("BEGIN")
        return False

    def _autocommit_idle(self) -> bool:
        autocommit = getattr(self._conn, "autocommit", None)  # Python 3.12+
        return autocommit is True or (autocommit is not False and self._conn.isolation_level is None)

    def begin(self) -> None:
        # IMMEDIATE takes the write lock at once, as pyriver's own SQLite
        # connections do, so two writers wait instead of deadlocking.
        self._run_plain("BEGIN IMMEDIATE")

    def _run_plain(self, sql: str) -> None:
        self._conn.execute(sql)


# --- finding the adapter ----------------------------------------------------


def _loaded(module: str) -> Any:
    """The module if the application imported it: a connection of a driver
    can only exist once its module is loaded, so pyriver imports none."""
    return sys.modules.get(module)


def adapter_for(conn: Any) -> ConnectionAdapter:
    """The adapter for a synchronous connection, or InvalidArgumentTypeError."""
    dbapi = dbapi_connection(conn)
    if (psycopg := _loaded("psycopg")) is not None and isinstance(dbapi, psycopg.Connection):
        return PsycopgAdapter(dbapi)
    if (extensions := _loaded("psycopg2.extensions")) is not None and isinstance(dbapi, extensions.connection):
        return Psycopg2Adapter(dbapi, extensions)
    for name in SQLITE_MODULES:
        if (sqlite := _loaded(name)) is not None and isinstance(dbapi, sqlite.Connection):
            return SQLiteAdapter(dbapi, sqlite)
    raise InvalidArgumentTypeError(
        f"conn must be {ACCEPTED}; got {type(conn).__module__}.{type(conn).__name__}", "conn"
    )


def dbapi_connection(conn: Any) -> Any:
    """The DB-API connection under a cursor, a SQLAlchemy connection or
    session, or a Django connection. A SQLAlchemy connection without a
    transaction gets one (as its own autobegin would on the next statement),
    so that the application's commit() commits what pyriver wrote."""
    if (orm := _loaded("sqlalchemy.orm")) is not None and isinstance(conn, orm.Session):
        conn = conn.connection()
    if (engine := _loaded("sqlalchemy.engine")) is not None and isinstance(conn, engine.Connection):
        if not conn.in_transaction():
            conn.begin()
        return conn.connection.dbapi_connection
    if (proxies := _loaded("django.utils.connection")) is not None and isinstance(conn, proxies.ConnectionProxy):
        conn = conn._connections[conn._alias]
    if (django_base := _loaded("django.db.backends.base.base")) is not None and isinstance(
        conn, django_base.BaseDatabaseWrapper
    ):
        conn.ensure_connection()
        return conn.connection
    if (psycopg := _loaded("psycopg")) is not None and isinstance(conn, psycopg.Cursor):
        return conn.connection
    if (extensions := _loaded("psycopg2.extensions")) is not None and isinstance(conn, extensions.cursor):
        return conn.connection
    return conn
