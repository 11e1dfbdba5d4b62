"""A job the runner hands to a handler makes its row when the row is first
read: the same row, the same errors, only later."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

import pyriver
from pyriver import JobState
from pyriver._bridge import calls
from pyriver._bridge.rows import job_row_from_wire

MICROS_2026 = 1_796_228_977_741_220
BEYOND_YEAR_9999 = 253_402_300_800_000_000  # 10000-01-01, which PostgreSQL can store


def wire_row(created_at_us: int = MICROS_2026) -> list[Any]:
    """A running job's row in JOB_ROW_FIELDS order, as Go sends it."""
    return [
        7, 1, MICROS_2026, ["host"], created_at_us, '{"to": "ada"}', [], None, "email", 25, '{"m": 1}',
        1, "default", MICROS_2026, "running", ["t"], None, None,
    ]  # fmt: skip


def handed_over(row: list[Any]) -> pyriver.Job[Any]:
    handoff = calls._handoff_from_wire({"token": 1, "job": row, "deadline_us": None})
    assert handoff.decode_error is None
    return pyriver.Job._with_row_on_first_read(handoff.row, handoff.args, handoff.deadline)


def test_the_row_made_on_first_read_is_the_row_go_sent() -> None:
    job = handed_over(wire_row())
    assert "row" not in vars(job)

    assert job.id == 7 and job.kind == "email" and job.state is JobState.RUNNING
    expected = job_row_from_wire(wire_row())
    assert job.row == expected
    assert job.row.args == {"to": "ada"} and job.row.args is job.args  # decoded once
    assert job.created_at == datetime.fromtimestamp(MICROS_2026 / 1e6, timezone.utc)
    assert job.row is job.row  # made once
    assert job == handed_over(wire_row()) and "JobRow(id=7" in repr(job)


def test_a_job_built_by_hand_keeps_its_row() -> None:
    row = job_row_from_wire(wire_row())
    job = pyriver.Job(row, {"to": "ada"}, None)
    assert job.row is row and job.id == 7


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    job = handed_over(wire_row())
    with pytest.raises(AttributeError, match="'Job' object has no attribute 'nope'"):
        job.nope  # type: ignore[attr-defined]  # noqa: B018


def test_a_row_beyond_pythons_datetime_leaves_the_args_readable_and_fails_where_the_row_is_read() -> None:
    job = handed_over(wire_row(created_at_us=BEYOND_YEAR_9999))
    assert job.args == {"to": "ada"}
    with pytest.raises(pyriver.DatabaseError, match="job 7 has a time outside Python's datetime range"):
        job.row  # noqa: B018
    with pytest.raises(pyriver.DatabaseError):
        job.attempt  # noqa: B018
