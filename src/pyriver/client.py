"""The synchronous client: one real River client in the Go runtime."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import _native
from ._wire import insert_item_to_wire, insert_result_from_wire, job_row_from_wire
from .errors import ClientClosedError, InvalidArgumentTypeError
from .options import InsertOpts
from .types import JobInsertResult, JobRow

InsertManyItem = Any  # args, or (args, InsertOpts | None)


class Client:
    """A River client on SQLite or PostgreSQL.

    ``url`` is ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``
    (SQLAlchemy's convention) or ``postgres://user:pass@host:port/db``.
    The connection is checked when the client is created: an unreachable
    database raises :class:`~pyriver.DatabaseError` within a few seconds.

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, url: str) -> None:
        if not isinstance(url, str):
            raise InvalidArgumentTypeError(f"url must be a str, not {type(url).__name__}", "url")
        self._handle: int | None = None
        self._handle = _native.call("client.open", {"url": url})

    # --- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Release the client and its database connections. Idempotent."""
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

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        if self._handle is None:
            raise ClientClosedError("client is closed")
        request["client"] = self._handle
        return _native.call(method, request)

    # --- migrations --------------------------------------------------------

    def migrate(self, target_version: int | None = None) -> list[int]:
        """Apply River's migrations up to ``target_version`` (default: all).
        Returns the versions applied; an up-to-date database applies none."""
        return list(self._call("client.migrate", {"direction": "up", "target_version": target_version or 0})["versions"])

    # --- inserts -----------------------------------------------------------

    def insert(self, args: Any, opts: InsertOpts | None = None) -> JobInsertResult:
        """Insert one job. ``args`` has a ``kind`` and a ``to_json()``, or is a
        dataclass with a ``kind`` class attribute."""
        results = self._call("client.insert_many", {"jobs": [insert_item_to_wire(args, opts)]})
        return insert_result_from_wire(results[0])

    def insert_many(self, items: Iterable[InsertManyItem]) -> list[JobInsertResult]:
        """Insert many jobs in one transaction. Each item is args or an
        ``(args, opts)`` pair."""
        wire = [_insert_many_item_to_wire(item) for item in items]
        return [insert_result_from_wire(result) for result in self._call("client.insert_many", {"jobs": wire})]

    # --- jobs --------------------------------------------------------------

    def job_get(self, id: int) -> JobRow:
        """Return the job with this id; :class:`~pyriver.NotFoundError` if none."""
        return job_row_from_wire(self._call("client.job_get", {"id": _check_id(id)}))


def _insert_many_item_to_wire(item: InsertManyItem) -> dict[str, Any]:
    if isinstance(item, tuple):
        if len(item) != 2:
            raise InvalidArgumentTypeError("insert_many items must be args or (args, opts) pairs", "items")
        return insert_item_to_wire(item[0], item[1])
    return insert_item_to_wire(item, None)


def _check_id(id: Any) -> int:
    if isinstance(id, bool) or not isinstance(id, int):
        raise InvalidArgumentTypeError(f"id must be an int, not {type(id).__name__}", "id")
    return id
