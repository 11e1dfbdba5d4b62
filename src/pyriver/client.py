"""The synchronous client: one real River client in the Go runtime."""

from __future__ import annotations

from typing import Any

from . import _native
from ._operations import Operations
from .errors import ClientClosedError, InvalidArgumentTypeError
from .results import MigrateValidateResult, MigrationVersion
from .transaction import Transaction


def _optional_int(value: Any, param: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidArgumentTypeError(f"{param} must be an int, not {type(value).__name__}", param)
    return value


class Client(Operations):
    """A River client on SQLite or PostgreSQL.

    ``url`` is ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``
    (SQLAlchemy's convention) or ``postgres://user:pass@host:port/db``.
    The connection is checked when the client is created: an unreachable
    database raises :class:`~pyriver.DatabaseError` within a few seconds.

    One client may be shared by many threads; calls release the GIL while
    River works. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, url: str) -> None:
        if not isinstance(url, str):
            raise InvalidArgumentTypeError(f"url must be a str, not {type(url).__name__}", "url")
        self._handle: int | None = None
        self._handle = _native.call("client.open", {"url": url})

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        if self._handle is None:
            raise ClientClosedError("client is closed")
        request["client"] = self._handle
        return _native.call(method, request)

    # --- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Roll back the client's open transactions and release its database
        connections. Idempotent."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _native.call("client.close", {"client": handle})

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A client dropped without close() must not leak its pool, but a
        # finaliser must never raise (or touch Go in a forked child).
        try:
            if getattr(self, "_handle", None) is not None and _native.is_loaded():
                self.close()
        except Exception:
            pass

    # --- transactions ------------------------------------------------------

    def transaction(self) -> Transaction:
        """Open a database transaction; use it with ``with``."""
        if self._handle is None:
            raise ClientClosedError("client is closed")
        return Transaction(self._handle)

    # --- migrations --------------------------------------------------------

    def migrate(self, target_version: int | None = None) -> list[int]:
        """Apply River's migrations up to ``target_version`` (default: all)
        and return the versions applied; a current database applies none."""
        request = {"direction": "up", "target_version": _optional_int(target_version, "target_version")}
        return list(self._call("migrate", request))

    def migrate_down(self, *, max_steps: int | None = None, target_version: int | None = None) -> list[int]:
        """Roll back River's migrations and return the versions removed.

        By default one step, as River does. ``target_version`` stops at that
        version (it stays applied); ``target_version=0`` removes River's
        schema entirely."""
        request = {
            "direction": "down",
            "max_steps": _optional_int(max_steps, "max_steps"),
            "target_version": _optional_int(target_version, "target_version"),
        }
        return list(self._call("migrate", request))

    def migrate_validate(self) -> MigrateValidateResult:
        """Check with River whether the schema is current."""
        result = self._call("migrate_validate", {})
        return MigrateValidateResult(ok=result["ok"], messages=result["messages"])

    def migrate_versions(self) -> list[MigrationVersion]:
        """River's migrations, oldest first, with which are applied."""
        return [MigrationVersion(**version) for version in self._call("migrate_versions", {})]
