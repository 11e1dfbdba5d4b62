"""The lifecycle every Python object owning a Go handle shares."""

from __future__ import annotations

from typing import TypeVar

from ._bridge import transport

Owner = TypeVar("Owner", bound="OwnsHandle")


class OwnsHandle:
    """Owns a handle to a Go object (client, transaction, subscription).

    ``close()`` releases it; ``with`` closes on exit; an object dropped without
    closing is closed when collected, quietly, so a finaliser never raises or
    touches Go from a forked child that cannot use it.
    """

    _handle: object | None = None

    def close(self) -> None:
        """Release the Go side's object; idempotent."""
        raise NotImplementedError

    def __enter__(self: Owner) -> Owner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._handle is not None and transport.is_loaded():
                self.close()
        except Exception:
            pass
