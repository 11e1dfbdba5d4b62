"""AsyncClient offers every public operation of Client, so a new one cannot
silently go missing from the asyncio API."""

from __future__ import annotations

import inspect

import pyriver
from pyriver.aio import AsyncAppConnection
from pyriver.app_connection import AppConnection


def public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def test_async_client_has_every_client_operation() -> None:
    instance_attributes = {"periodic_jobs"}  # set on each Client instance
    assert public(pyriver.Client) | instance_attributes <= public(pyriver.AsyncClient)


def test_async_operations_are_coroutines_with_the_client_docstrings() -> None:
    for name in public(pyriver.Client):
        sync, asynchronous = getattr(pyriver.Client, name), getattr(pyriver.AsyncClient, name)
        if name in {"on", "transaction"} or isinstance(sync, property) or not callable(sync):
            continue  # these return async objects rather than coroutines
        assert inspect.iscoroutinefunction(asynchronous), name
        assert asynchronous.__doc__, name


def test_async_transaction_and_app_connection_have_every_operation() -> None:
    assert public(pyriver.Transaction) - {"close"} <= public(pyriver.AsyncTransaction)
    assert public(AppConnection) <= public(AsyncAppConnection)
