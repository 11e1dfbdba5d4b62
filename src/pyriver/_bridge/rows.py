"""River's rows and results as Python objects."""

from __future__ import annotations

import base64
from typing import Any, cast

from ..errors import DatabaseError
from ..types import AttemptError, JobInsertParams, JobInsertResult, JobRow, JobState, Queue
from .values import datetime_from_wire, datetime_to_wire, optional_datetime_from_wire

_STATES = {state.value: state for state in JobState}
_new_instance = object.__new__

# The elements of a row on the wire, in order (protocol.JobRowFields).
JOB_ROW_FIELDS = (
    "id", "attempt", "attempted_at", "attempted_by", "created_at", "encoded_args", "errors", "finalized_at",
    "kind", "max_attempts", "metadata", "priority", "queue", "scheduled_at", "state", "tags",
    "unique_key", "unique_states",
)  # fmt: skip


def job_row_from_wire(wire: list[Any]) -> JobRow:
    """A row arrives as an array in JOB_ROW_FIELDS order. A time Python's
    datetime cannot hold (written by another program: PostgreSQL's range is
    wider) raises DatabaseError naming the job."""
    try:
        return _job_row(wire)
    except OverflowError:
        raise DatabaseError(
            f"job {wire[0]} has a time outside Python's datetime range (years 1 to 9999), so pyriver "
            "cannot return its row (the operation itself was carried out); fix the time with SQL"
        ) from None


def _job_row(wire: list[Any]) -> JobRow:
    """Called for every row of every result, thousands of times for a batch,
    and for every job a worker runs: plain lookups rather than enum calls, no
    work for empty fields, and the fields stored straight into the instance.
    The frozen dataclass's ``__init__`` (an ``object.__setattr__`` per field)
    cost 3 µs a row, more than all the rest; a test checks the result equals
    the row ``JobRow(...)`` builds."""
    (id, attempt, attempted_at, attempted_by, created_at, encoded_args, errors, finalized_at,
     kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags, unique_key, unique_states) = wire  # fmt: skip
    row = _new_instance(JobRow)
    vars(row).update(
        id=id,
        attempt=attempt,
        attempted_at=optional_datetime_from_wire(attempted_at),
        attempted_by=attempted_by or [],
        created_at=datetime_from_wire(created_at),
        encoded_args=encoded_args.encode(),
        errors=[
            AttemptError(at=datetime_from_wire(e["at_us"]), attempt=e["attempt"], error=e["error"], trace=e["trace"])
            for e in errors
        ]
        if errors
        else [],
        finalized_at=optional_datetime_from_wire(finalized_at),
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
    return row


def job_rows_from_wire(wire: list[list[Any]]) -> list[JobRow]:
    return [job_row_from_wire(row) for row in wire]


class _InsertBatch:
    """The rows of one insert as they arrived, by column (see
    protocol.InsertResults): the values alike in every row once, in
    ``template``, and the others as one list per column."""

    __slots__ = ("template", "varying", "shared_lists")

    def __init__(self, columns: list[Any], varying: list[int], count: int) -> None:
        self.template = columns
        self.varying = [(position, columns[position]) for position in varying]
        # Lists alike in every row (the same tags), copied for each row so
        # that changing one row's list leaves the others as they were.
        self.shared_lists = _shared_lists(columns, varying) if count > 1 else []

    def row(self, index: int) -> list[Any]:
        row = self.template.copy()
        for position in self.shared_lists:
            row[position] = row[position].copy()
        for position, values in self.varying:
            row[position] = values[index]
        return row


def _shared_lists(columns: list[Any], varying: list[int]) -> list[int]:
    return [
        position
        for position in set(range(len(columns))).difference(varying)
        if isinstance(columns[position], list) and columns[position]
    ]


class _LazyInsertResult(JobInsertResult):
    """A JobInsertResult whose row is built on first access: River returns
    every inserted row, and an application that only inserts need not pay for
    thousands of JobRow objects it never reads."""

    # Slots, like JobInsertResult's: no dict per result. The result keeps
    # its batch and its place in it until job is read, then the JobRow.
    __slots__ = ("_batch", "_row")
    _batch: _InsertBatch | None
    _row: int | JobRow

    def __init__(self, batch: _InsertBatch, index: int, skipped: bool) -> None:
        object.__setattr__(self, "_batch", batch)
        object.__setattr__(self, "_row", index)
        object.__setattr__(self, "unique_skipped_as_duplicate", skipped)

    @property
    def job(self) -> JobRow:
        row, batch = self._row, self._batch
        if batch is None:
            return cast(JobRow, row)
        decoded = job_row_from_wire(batch.row(cast(int, row)))
        object.__setattr__(self, "_row", decoded)
        object.__setattr__(self, "_batch", None)
        return decoded


def insert_results_from_wire(wire: dict[str, Any]) -> list[JobInsertResult]:
    """Results by column, each row built when first read: a batch's rows
    share the values alike in all of them."""
    *columns, skipped = wire["columns"]
    count, varying = wire["count"], wire["varying"]
    if count == 1:  # a single insert's columns are its row's values: 3 µs less than the general way
        return [_LazyInsertResult(_InsertBatch(columns, [], 1), 0, skipped)]
    flags = skipped if len(columns) in varying else [skipped] * count
    batch = _InsertBatch(columns, [position for position in varying if position < len(columns)], count)
    return [_LazyInsertResult(batch, index, flags[index]) for index in range(count)]


def queue_from_wire(wire: dict[str, Any]) -> Queue:
    return Queue(
        name=wire["name"],
        created_at=datetime_from_wire(wire["created_at_us"]),
        metadata=wire["metadata"].encode(),
        paused_at=optional_datetime_from_wire(wire.get("paused_at_us")),
        updated_at=datetime_from_wire(wire["updated_at_us"]),
    )


def filled_params_from_wire(wire: dict[str, Any]) -> JobInsertParams:
    """The parameters River filled in for an insert (insert middleware)."""
    scheduled_at = wire.get("scheduled_at_us")
    return JobInsertParams(
        kind=wire["kind"],
        encoded_args=wire["encoded_args"].encode(),
        max_attempts=wire["max_attempts"],
        metadata=wire["metadata"].encode(),
        priority=wire["priority"],
        queue=wire["queue"],
        scheduled_at=None if scheduled_at is None else datetime_from_wire(scheduled_at),
        state=JobState(wire["state"]),
        tags=list(wire.get("tags") or []),
        unique_key=None,
        unique_states=wire.get("unique_states") or 0,
    )


def filled_params_to_wire(params: JobInsertParams) -> dict[str, Any]:
    return {
        "kind": params.kind,
        "encoded_args": bytes(params.encoded_args).decode(),
        "max_attempts": params.max_attempts,
        "metadata": bytes(params.metadata).decode(),
        "priority": params.priority,
        "queue": params.queue,
        "scheduled_at_us": None
        if params.scheduled_at is None
        else datetime_to_wire(params.scheduled_at, "params.scheduled_at"),
        "state": JobState(params.state).value,
        "tags": list(params.tags),
    }
