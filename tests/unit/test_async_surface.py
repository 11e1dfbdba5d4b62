"""AsyncClient offers every public operation of Client, so a new one cannot
silently go missing from the asyncio API."""

from __future__ import annotations

import inspect

import gen_async_api
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


def test_async_operations_have_the_synchronous_signatures() -> None:
    for asynchronous, synchronous in [
        (pyriver.AsyncClient, pyriver.Client),
        (pyriver.AsyncTransaction, pyriver.Transaction),
        (AsyncAppConnection, AppConnection),
    ]:
        for name in public(synchronous):
            sync = getattr(synchronous, name)
            if not inspect.iscoroutinefunction(getattr(asynchronous, name, None)):
                continue
            assert inspect.signature(getattr(asynchronous, name)) == inspect.signature(sync), name


def test_generated_async_api_is_current() -> None:
    """_async_api.py is what tools/gen_async_api.py writes from the
    synchronous classes today (run `make fmt` after changing one)."""
    assert gen_async_api.OUTPUT.read_text() == gen_async_api.render()
