"""Where a call runs: the typed handles of the Go objects pyriver holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from . import transport


class Target(Protocol):
    """Runs a method on a client, one of its transactions, or the
    application's connection: it adds its handles to the request."""

    def call(self, method: str, request: dict[str, Any]) -> Any:
        """Run ``method`` with ``request`` here and return its result."""
        ...


@dataclass(frozen=True)
class ClientHandle:
    """A client in the Go runtime."""

    client: int

    def call(self, method: str, request: dict[str, Any]) -> Any:
        """Run ``method`` on the client."""
        request["client"] = self.client
        return transport.call(method, request)


@dataclass(frozen=True)
class TxHandle:
    """A transaction held by the Go side on the client's own connection."""

    client: int
    tx: int

    def call(self, method: str, request: dict[str, Any]) -> Any:
        """Run ``method`` inside the transaction."""
        request["client"] = self.client
        request["tx"] = self.tx
        return transport.call(method, request)


@dataclass(frozen=True)
class SubscriptionHandle:
    """A subscription to a client's events."""

    subscription: int
