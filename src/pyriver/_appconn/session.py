"""Driving one operation: start it in Go, run each statement River makes on
the application's connection, reply, until River returns the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from .. import _native
from ..errors import DatabaseError, PyRiverError
from .adapters import ConnectionAdapter


def run_on_connection(adapter: ConnectionAdapter, client_handle: int, method: str, request: dict[str, Any]) -> Any:
    """Run ``method`` (an ordinary client method such as ``insert_many``) on
    the adapter's connection and return its result.

    When the connection has no transaction open and is in autocommit mode,
    the operation gets a transaction of its own, committed when it succeeds,
    so that it is all-or-nothing as on the client. Otherwise pyriver never
    commits or rolls back: the transaction is the application's.
    """
    with _database_errors(adapter):
        own_transaction = adapter.enter_transaction()
    try:
        result = _drive(adapter, client_handle, method, request)
    except BaseException:
        if own_transaction:
            with suppress(*adapter.database_errors):  # the first failure is the one to report
                adapter.rollback()
        raise
    if own_transaction:
        with _database_errors(adapter):
            adapter.commit()
    return result


def _drive(adapter: ConnectionAdapter, client_handle: int, method: str, request: dict[str, Any]) -> Any:
    request["client"] = client_handle
    step = _native.call(
        "app.call", {"client": client_handle, "dialect": adapter.dialect, "method": method, "request": request}
    )
    failure: BaseException | None = None
    while "statement" in step:
        session = step["session"]
        try:
            reply = adapter.execute(step["statement"])
        except adapter.database_errors as exc:
            # River sees the failure as its driver would and returns it; the
            # application's exception becomes the cause of pyriver's error.
            failure = exc
            reply = {"error": _describe(exc)}
        except BaseException:
            _native.call("app.close", {"session": session})
            raise
        reply["session"] = session
        step = _native.call("app.reply", reply)
    try:
        return _native.result_of(step["result"])
    except PyRiverError as error:
        if failure is not None:
            raise error from failure
        raise


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


@contextmanager
def _database_errors(adapter: ConnectionAdapter) -> Iterator[None]:
    """The driver's errors as pyriver's DatabaseError, caused by them."""
    try:
        yield
    except adapter.database_errors as exc:
        raise DatabaseError(_describe(exc)) from exc
