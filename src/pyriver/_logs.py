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

import json
import logging
import os
import threading
from typing import Any

from ._bridge import calls
from .errors import PyRiverError

LOGGER = logging.getLogger("pyriver")
# A library's logger stays silent until the application configures logging:
# without a handler, Python would print River's warnings to stderr.
LOGGER.addHandler(logging.NullHandler())

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
            records, dropped = calls.logs_next(timeout=1.0, max=500)
        except PyRiverError:
            return
        if dropped:
            LOGGER.warning("%d River log records were dropped: Python fell behind", dropped)
        for record in records:
            emit(record)


def emit(river_record: calls.LogRecord) -> None:
    level = python_level(river_record.level)
    if not LOGGER.isEnabledFor(level):
        return
    attrs: dict[str, Any] = river_record.attrs
    extra = {(f"river_{key}" if key in _RESERVED else key): value for key, value in attrs.items()}
    extra["river"] = attrs
    message = " ".join([river_record.message, *_text_attrs(attrs)])
    record = LOGGER.makeRecord(LOGGER.name, level, "river", 0, message, (), None, extra=extra)
    record.created = river_record.time_us / 1e6
    record.msecs = (river_record.time_us % 1_000_000) / 1000
    LOGGER.handle(record)


def _text_attrs(attrs: dict[str, Any], prefix: str = "") -> list[str]:
    """River's attributes as slog's text handler writes them (``job_id=7
    error="boom"``, groups as ``group.key``), so that a plain log format
    shows which job and what happened, not only River's message."""
    parts = []
    for key, value in attrs.items():
        if isinstance(value, dict):
            parts.extend(_text_attrs(value, f"{prefix}{key}."))
        else:
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            if not text or any(c.isspace() or c in '"=' for c in text):
                text = json.dumps(text)
            parts.append(f"{prefix}{key}={text}")
    return parts
