"""Translation between pyriver's Python objects and the JSON the Go side
speaks. Python checks types here; Go (River) checks values."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from .errors import InvalidArgumentError, InvalidArgumentTypeError
from .options import InsertOpts, UniqueOpts
from .types import AttemptError, JobInsertResult, JobRow, JobState, Queue

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --- times: integer microseconds since the epoch, UTC ---------------------


def datetime_to_wire(value: Any, param: str) -> int:
    if not isinstance(value, datetime):
        raise InvalidArgumentTypeError(f"{param} must be a datetime, not {type(value).__name__}", param)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgumentError(f"{param} must be timezone-aware (for example datetime.now(timezone.utc))", param)
    return (value - _EPOCH) // timedelta(microseconds=1)


def datetime_from_wire(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _optional_datetime_from_wire(micros: int | None) -> datetime | None:
    return None if micros is None else datetime_from_wire(micros)


# --- job args --------------------------------------------------------------


def args_to_wire(args: Any) -> dict[str, Any]:
    """Encode job args: anything with a ``kind`` and a ``to_json()``, or a
    dataclass with a ``kind`` attribute. An ``insert_opts()`` method supplies
    the args' own options, which explicit options override."""
    kind = getattr(args, "kind", None)
    if not isinstance(kind, str):
        raise InvalidArgumentTypeError(
            f"args must have a str attribute 'kind' (got {type(args).__name__} with kind={kind!r})", "args"
        )
    to_json = getattr(args, "to_json", None)
    try:
        if callable(to_json):
            encoded = to_json()
            if not isinstance(encoded, str):
                raise InvalidArgumentTypeError(
                    f"{type(args).__name__}.to_json() must return str, not {type(encoded).__name__}", "args"
                )
        elif dataclasses.is_dataclass(args) and not isinstance(args, type):
            encoded = json.dumps(dataclasses.asdict(args), separators=(",", ":"), allow_nan=False)
        else:
            raise InvalidArgumentTypeError(
                f"args of kind {kind!r} must be a dataclass or define to_json(); got {type(args).__name__}", "args"
            )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, (InvalidArgumentTypeError, InvalidArgumentError)):
            raise
        raise InvalidArgumentTypeError(f"args of kind {kind!r} cannot be encoded as JSON: {exc}", "args") from exc

    item: dict[str, Any] = {"kind": kind, "args": encoded}
    insert_opts = getattr(args, "insert_opts", None)
    if callable(insert_opts):
        args_opts = insert_opts()
        if args_opts is not None:
            item["args_opts"] = insert_opts_to_wire(args_opts, "insert_opts()")
    return item


def insert_item_to_wire(args: Any, opts: InsertOpts | None) -> dict[str, Any]:
    item = args_to_wire(args)
    if opts is not None:
        item["opts"] = insert_opts_to_wire(opts, "opts")
    return item


# --- options ---------------------------------------------------------------


def _check_int(value: Any, param: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(f"{param} must be an int, not {type(value).__name__}", param)
    return value


def _check_str_list(value: Any, param: str) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidArgumentTypeError(f"{param} must be a list of str, not {type(value).__name__}", param)
    for item in value:
        if not isinstance(item, str):
            raise InvalidArgumentTypeError(f"{param} must contain only str, found {type(item).__name__}", param)
    return list(value)


def insert_opts_to_wire(opts: Any, param: str) -> dict[str, Any]:
    if not isinstance(opts, InsertOpts):
        raise InvalidArgumentTypeError(f"{param} must be pyriver.InsertOpts, not {type(opts).__name__}", param)
    wire: dict[str, Any] = {}
    if opts.max_attempts is not None:
        wire["max_attempts"] = _check_int(opts.max_attempts, f"{param}.max_attempts")
    if opts.priority is not None:
        wire["priority"] = _check_int(opts.priority, f"{param}.priority")
    if opts.queue is not None:
        wire["queue"] = check_str(opts.queue, f"{param}.queue")
    if opts.metadata is not None:
        wire["metadata"] = json_object_to_wire(opts.metadata, f"{param}.metadata")
    if opts.pending:
        wire["pending"] = True
    if opts.scheduled_at is not None:
        wire["scheduled_at"] = datetime_to_wire(opts.scheduled_at, f"{param}.scheduled_at")
    if opts.tags is not None:
        wire["tags"] = _check_str_list(opts.tags, f"{param}.tags")
    if opts.unique_opts is not None:
        wire["unique_opts"] = unique_opts_to_wire(opts.unique_opts, f"{param}.unique_opts")
    return wire


def unique_opts_to_wire(opts: Any, param: str) -> dict[str, Any]:
    if not isinstance(opts, UniqueOpts):
        raise InvalidArgumentTypeError(f"{param} must be pyriver.UniqueOpts, not {type(opts).__name__}", param)
    wire: dict[str, Any] = {
        "by_args": bool(opts.by_args),
        "by_queue": bool(opts.by_queue),
        "exclude_kind": bool(opts.exclude_kind),
    }
    if opts.by_period is not None:
        wire["by_period"] = duration_to_seconds(opts.by_period, f"{param}.by_period")
    if opts.by_state is not None:
        wire["by_state"] = [str(state) for state in _check_state_list(opts.by_state, f"{param}.by_state")]
    return wire


def _check_state_list(value: Any, param: str) -> list[JobState]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidArgumentTypeError(f"{param} must be a list of JobState, not {type(value).__name__}", param)
    states = []
    for item in value:
        try:
            states.append(JobState(item))
        except ValueError:
            valid = ", ".join(state.value for state in JobState)
            raise InvalidArgumentError(f"{param}: unknown job state {item!r}; expected one of {valid}", param) from None
    return states


def duration_to_seconds(value: Any, param: str) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentTypeError(f"{param} must be a timedelta or seconds, not {type(value).__name__}", param)
    return float(value)


# --- rows ------------------------------------------------------------------


_STATES = {state.value: state for state in JobState}


def job_row_from_wire(wire: list[Any]) -> JobRow:
    """A row arrives as an array in rivertype.JobRow's field order (see
    jobRowWire in go/internal/api/wire.go). Called for every row of every
    result, thousands of times for a batch: plain lookups rather than enum
    calls, and no work for empty fields."""
    (id, attempt, attempted_at, attempted_by, created_at, encoded_args, errors, finalized_at,
     kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags, unique_key, unique_states) = wire
    return JobRow(
        id=id,
        attempt=attempt,
        attempted_at=_optional_datetime_from_wire(attempted_at),
        attempted_by=attempted_by or [],
        created_at=datetime_from_wire(created_at),
        encoded_args=encoded_args.encode(),
        errors=[
            AttemptError(at=datetime_from_wire(e["at"]), attempt=e["attempt"], error=e["error"], trace=e["trace"])
            for e in errors
        ]
        if errors
        else [],
        finalized_at=_optional_datetime_from_wire(finalized_at),
        kind=kind,
        max_attempts=max_attempts,
        metadata=metadata.encode(),
        priority=priority,
        queue=queue,
        scheduled_at=datetime_from_wire(scheduled_at),
        state=_STATES[state],
        tags=tags or [],
        unique_key=base64.b64decode(unique_key) if unique_key else None,
        unique_states=[_STATES[s] for s in unique_states] if unique_states else [],
    )


class _LazyInsertResult(JobInsertResult):
    """A JobInsertResult whose row is built on first access: River returns
    every inserted row, and an application that only inserts need not pay for
    thousands of JobRow objects it never reads."""

    _wire: dict[str, Any]

    def __init__(self, wire: dict[str, Any]) -> None:
        object.__setattr__(self, "_wire", wire)
        object.__setattr__(self, "unique_skipped_as_duplicate", wire["unique_skipped_as_duplicate"])

    @property
    def job(self) -> JobRow:
        cached: JobRow | None = self.__dict__.get("_job")
        if cached is None:
            cached = job_row_from_wire(self._wire["job"])
            object.__setattr__(self, "_job", cached)
        return cached


def insert_results_from_wire(wire: list[dict[str, Any]]) -> list[JobInsertResult]:
    return [_LazyInsertResult(result) for result in wire]


# --- filters ---------------------------------------------------------------


def _check_int_list(value: Any, param: str) -> list[int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidArgumentTypeError(f"{param} must be a list of int, not {type(value).__name__}", param)
    return [_check_int(item, param) for item in value]


def job_filters_to_wire(
    *,
    ids: Any = None,
    kinds: Any = None,
    priorities: Any = None,
    queues: Any = None,
    states: Any = None,
    limit: Any = None,
) -> dict[str, Any]:
    """Encode the filters job_list and job_delete_many share; None means "no
    filter"."""
    wire: dict[str, Any] = {}
    if ids is not None:
        wire["ids"] = _check_int_list(ids, "ids")
    if kinds is not None:
        wire["kinds"] = _check_str_list(kinds, "kinds")
    if priorities is not None:
        wire["priorities"] = _check_int_list(priorities, "priorities")
    if queues is not None:
        wire["queues"] = _check_str_list(queues, "queues")
    if states is not None:
        wire["states"] = [state.value for state in _check_state_list(states, "states")]
    if limit is not None:
        wire["limit"] = _check_int(limit, "limit")
    return wire


def optional_str_list(value: Any, param: str) -> list[str] | None:
    return None if value is None else _check_str_list(value, param)


def check_str(value: Any, param: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"{param} must be a str, not {type(value).__name__}", param)
    return value


def check_id(value: Any) -> int:
    return _check_int(value, "id")


def json_object_to_wire(value: Any, param: str) -> Any:
    """A dict that must survive a JSON round trip (metadata)."""
    if not isinstance(value, dict):
        raise InvalidArgumentTypeError(f"{param} must be a dict, not {type(value).__name__}", param)
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentTypeError(f"{param} cannot be encoded as JSON: {exc}", param) from exc


def queue_from_wire(wire: dict[str, Any]) -> Queue:
    return Queue(
        name=wire["name"],
        created_at=datetime_from_wire(wire["created_at"]),
        metadata=wire["metadata"].encode(),
        paused_at=_optional_datetime_from_wire(wire.get("paused_at")),
        updated_at=datetime_from_wire(wire["updated_at"]),
    )


def sql_params_to_wire(params: tuple[Any, ...]) -> list[Any]:
    """Application SQL parameters: JSON scalars, datetimes (sent as ISO 8601
    text) and dicts/lists (sent as JSON text)."""
    wire: list[Any] = []
    for position, value in enumerate(params, start=1):
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidArgumentError(f"params: parameter {position} is a naive datetime; give it a timezone", "params")
            wire.append(value.isoformat())
        elif value is None or isinstance(value, (bool, int, float, str, dict, list)):
            wire.append(value)
        else:
            raise InvalidArgumentTypeError(
                f"params: parameter {position} has unsupported type {type(value).__name__}", "params"
            )
    return wire


# --- client configuration --------------------------------------------------


def _optional_seconds(value: Any, param: str) -> float | None:
    return None if value is None else duration_to_seconds(value, param)


def client_config_to_wire(
    *,
    registrations: dict[str, Any],
    queues: dict[str, Any],
    job_timeout: Any,
    rescue_stuck_jobs_after: Any,
    fetch_poll_interval: Any,
    fetch_cooldown: Any,
    max_attempts: Any,
    fetch_only_known_kinds: bool,
    operation_timeout: Any,
    id: Any,
) -> dict[str, Any]:
    from .workers import QueueConfig

    wire_queues = {}
    for name, queue in queues.items():
        if not isinstance(queue, QueueConfig):
            raise InvalidArgumentTypeError(f"queues[{name!r}] must be pyriver.QueueConfig, not {type(queue).__name__}", "queues")
        wire_queues[check_str(name, "queues")] = {"max_workers": _check_int(queue.max_workers, "max_workers")}
    return {
        "queues": wire_queues,
        "kinds": [
            {"kind": registration.kind, "timeout_seconds": registration.timeout or 0}
            for registration in registrations.values()
        ],
        "job_timeout": _optional_seconds(job_timeout, "job_timeout"),
        "rescue_stuck_jobs_after": _optional_seconds(rescue_stuck_jobs_after, "rescue_stuck_jobs_after"),
        "fetch_poll_interval": _optional_seconds(fetch_poll_interval, "fetch_poll_interval"),
        "fetch_cooldown": _optional_seconds(fetch_cooldown, "fetch_cooldown"),
        "max_attempts": 0 if max_attempts is None else _check_int(max_attempts, "max_attempts"),
        "fetch_only_known_kinds": bool(fetch_only_known_kinds),
        "operation_timeout": duration_to_seconds(operation_timeout, "operation_timeout"),
        "id": "" if id is None else check_str(id, "id"),
    }
