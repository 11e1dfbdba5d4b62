"""River's logs on Python's ``logging``, logger ``pyriver``.

The Go side records River's slog records in a bounded buffer; one daemon
thread per process pulls them (the GIL released while it waits) and emits
them with River's time, level and message, and River's structured fields as
``extra`` attributes (renamed ``river_<key>`` where they would clash with a
LogRecord attribute) and all together as ``record.river``. If Python falls
behind by more than 10,000 records, the oldest are dropped and a warning
says how many.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from . import _native
from .errors import PyRiverError

LOGGER = logging.getLogger("pyriver")

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_pump_lock = threading.Lock()
_pump_pid: int | None = None


def slog_level(python_level: int) -> int:
    """Python's DEBUG/INFO/WARNING/ERROR (10/20/30/40) as slog's (-4/0/4/8)."""
    return (python_level - logging.INFO) * 2 // 5


def python_level(slog_level: int) -> int:
    return logging.INFO + slog_level * 5 // 2


def ensure_pump() -> None:
    """Start the process's log pump thread, once."""
    global _pump_pid
    with _pump_lock:
        if _pump_pid == os.getpid():
            return
        _pump_pid = os.getpid()
        threading.Thread(target=_pump, name="pyriver-logs", daemon=True).start()


def _pump() -> None:
    while True:
        try:
            batch = _native.call("logs.next", {"timeout": 1.0, "max": 500})
        except PyRiverError:
            return
        if batch["dropped"]:
            LOGGER.warning("%d River log records were dropped: Python fell behind", batch["dropped"])
        for record in batch["records"] or []:
            emit(record)


def emit(wire: dict[str, Any]) -> None:
    level = python_level(wire["level"])
    if not LOGGER.isEnabledFor(level):
        return
    attrs: dict[str, Any] = wire.get("attrs") or {}
    extra = {(f"river_{key}" if key in _RESERVED else key): value for key, value in attrs.items()}
    extra["river"] = attrs
    record = LOGGER.makeRecord(LOGGER.name, level, "river", 0, wire["message"], (), None, extra=extra)
    record.created = wire["time"] / 1e6
    record.msecs = (wire["time"] % 1_000_000) / 1000
    LOGGER.handle(record)
