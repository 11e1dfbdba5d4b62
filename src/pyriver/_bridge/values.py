"""Type checks and the wire's scalar conventions: times are integer
microseconds since the epoch in UTC, durations float seconds. Python checks
types here, and the ranges Go can hold (int64, time.Duration, a time that is
not Go's zero time); Go (River) checks values."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from ..errors import InvalidArgumentError, InvalidArgumentTypeError
from ..types import JobState

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Go's time.Duration is int64 nanoseconds: about 292 years either way.
MAX_DURATION_SECONDS = INT64_MAX / 1e9
# Go's zero time, which River reads as "not set".
_GO_ZERO_TIME_MICROS = (datetime(1, 1, 1, tzinfo=timezone.utc) - _EPOCH) // timedelta(microseconds=1)


def datetime_to_wire(value: Any, param: str) -> int:
    if not isinstance(value, datetime):
        raise InvalidArgumentTypeError(f"{param} must be a datetime, not {type(value).__name__}", param)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgumentError(f"{param} must be timezone-aware (for example datetime.now(timezone.utc))", param)
    micros = (value - _EPOCH) // timedelta(microseconds=1)
    if micros == _GO_ZERO_TIME_MICROS:
        raise InvalidArgumentError(
            f"{param}: 0001-01-01 00:00 UTC is Go's zero time, which River reads as unset", param
        )
    return micros


def datetime_from_wire(micros: int) -> datetime:
    return _EPOCH + timedelta(0, 0, micros)  # positional: a quarter faster, for every time of every row


def optional_datetime_from_wire(micros: int | None) -> datetime | None:
    return None if micros is None else datetime_from_wire(micros)


def duration_to_seconds(value: Any, param: str) -> float:
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentTypeError(f"{param} must be a timedelta or seconds, not {type(value).__name__}", param)
    else:
        seconds = float(value)
    if not abs(seconds) <= MAX_DURATION_SECONDS:  # also NaN
        raise InvalidArgumentError(f"{param} must be a finite duration of at most 292 years, got {value!r}", param)
    return seconds


def optional_seconds(value: Any, param: str) -> float | None:
    return None if value is None else duration_to_seconds(value, param)


def check_int(value: Any, param: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(f"{param} must be an int, not {type(value).__name__}", param)
    if not INT64_MIN <= value <= INT64_MAX:
        raise InvalidArgumentError(f"{param} must fit in 64 bits, got {value}", param)
    return value


def check_storable_text(value: str, param: str) -> None:
    """Refuse text no database can store as sent: a lone surrogate (which
    would otherwise become U+FFFD or a PostgreSQL error naming nothing)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidArgumentError(
            f"{param} contains a lone surrogate ({value[exc.start]!r} at position {exc.start}), which is not text",
            param,
        ) from None


def optional_int(value: Any, param: str) -> int | None:
    return None if value is None else check_int(value, param)


def check_str(value: Any, param: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"{param} must be a str, not {type(value).__name__}", param)
    return value


def check_str_list(value: Any, param: str) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidArgumentTypeError(f"{param} must be a list of str, not {type(value).__name__}", param)
    for item in value:
        if not isinstance(item, str):
            raise InvalidArgumentTypeError(f"{param} must contain only str, found {type(item).__name__}", param)
    return list(value)


def optional_str_list(value: Any, param: str) -> list[str] | None:
    return None if value is None else check_str_list(value, param)


def check_int_list(value: Any, param: str) -> list[int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidArgumentTypeError(f"{param} must be a list of int, not {type(value).__name__}", param)
    return [check_int(item, param) for item in value]


def check_state_list(value: Any, param: str) -> list[str]:
    """Job states as River spells them."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidArgumentTypeError(f"{param} must be a list of JobState, not {type(value).__name__}", param)
    states = []
    for item in value:
        try:
            states.append(JobState(item).value)
        except ValueError:
            valid = ", ".join(state.value for state in JobState)
            raise InvalidArgumentError(f"{param}: unknown job state {item!r}; expected one of {valid}", param) from None
    return states


def json_object_to_wire(value: Any, param: str) -> Any:
    """A dict that must survive a JSON round trip (metadata)."""
    if not isinstance(value, dict):
        raise InvalidArgumentTypeError(f"{param} must be a dict, not {type(value).__name__}", param)
    try:
        encoded = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentTypeError(f"{param} cannot be encoded as JSON: {exc}", param) from exc
    except RecursionError:
        raise InvalidArgumentError(f"{param} is nested too deeply to encode", param) from None
    check_storable_text(encoded, param)
    return json.loads(encoded)


def sql_params_to_wire(params: tuple[Any, ...]) -> list[Any]:
    """Application SQL parameters: JSON scalars, datetimes (sent as ISO 8601
    text) and dicts/lists (sent as JSON text)."""
    wire: list[Any] = []
    for position, value in enumerate(params, start=1):
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidArgumentError(
                    f"params: parameter {position} is a naive datetime; give it a timezone", "params"
                )
            wire.append(value.isoformat())
        elif value is None or isinstance(value, (bool, int, float, str, dict, list)):
            wire.append(value)
        else:
            raise InvalidArgumentTypeError(
                f"params: parameter {position} has unsupported type {type(value).__name__}", "params"
            )
    return wire
