"""Statement parameters and result values as they cross to and from Go."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta, timezone
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def python_arg(value: Any) -> Any:
    """A statement parameter from Go as the application's driver takes it:
    ``{"bytes": ...}`` becomes bytes, ``{"time": ...}`` an aware datetime."""
    if isinstance(value, dict):
        if "bytes" in value:
            return base64.b64decode(value["bytes"])
        return _EPOCH + timedelta(microseconds=value["time"])
    return value


def python_args(args: list[Any]) -> list[Any]:
    return [python_arg(arg) for arg in args]


def pyformat_args(args: list[Any]) -> dict[str, Any]:
    """Parameters for the %(pN)s placeholders Go writes for psycopg."""
    return {f"p{position}": python_arg(arg) for position, arg in enumerate(args, start=1)}


def sqlite_wire_value(value: Any) -> Any:
    """A value sqlite3 returned, for Go: bytes travel as base64; a datetime
    that the application's converters made of a timestamp column (Django
    registers them) goes back to the text SQLite stored."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
