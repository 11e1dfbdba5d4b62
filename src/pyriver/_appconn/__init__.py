"""River's operations on a connection the application holds.

The Go side runs River's own code on the application's transaction and hands
back each statement it makes (see go/internal/appconn); an adapter here runs
the statement on the application's connection with its own driver. Adapters
know one DB-API driver each; frameworks (SQLAlchemy, Django) are unwrapped to
the DB-API connection underneath.
"""

from .adapters import ConnectionAdapter, adapter_for
from .asynchronous import AsyncConnectionAdapter, LoopBridge, async_adapter_for
from .session import AppConnectionTarget, run_on_connection

__all__ = [
    "AppConnectionTarget",
    "AsyncConnectionAdapter",
    "ConnectionAdapter",
    "LoopBridge",
    "adapter_for",
    "async_adapter_for",
    "run_on_connection",
]
