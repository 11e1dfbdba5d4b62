"""The dataclasses mirror River's rivertype exactly."""

from __future__ import annotations

import dataclasses

import pytest

import pyriver
from pyriver import JobState


def test_job_state_has_exactly_rivers_states() -> None:
    assert {state.value for state in JobState} == {
        "available",
        "cancelled",
        "completed",
        "discarded",
        "pending",
        "retryable",
        "running",
        "scheduled",
    }
    assert isinstance(JobState.AVAILABLE, str) and JobState.AVAILABLE.value == "available"


def test_job_row_fields_mirror_rivertype() -> None:
    names = [field.name for field in dataclasses.fields(pyriver.JobRow)]
    assert names == [
        "id",
        "attempt",
        "attempted_at",
        "attempted_by",
        "created_at",
        "encoded_args",
        "errors",
        "finalized_at",
        "kind",
        "max_attempts",
        "metadata",
        "priority",
        "queue",
        "scheduled_at",
        "state",
        "tags",
        "unique_key",
        "unique_states",
    ]
    assert "args" in dir(pyriver.JobRow)  # decoded from encoded_args on first access


def test_errors_share_one_base_class() -> None:
    for error in [
        pyriver.NotFoundError,
        pyriver.JobRunningError,
        pyriver.InvalidArgumentError,
        pyriver.InvalidArgumentTypeError,
        pyriver.DatabaseError,
        pyriver.ClientClosedError,
        pyriver.ForkedProcessError,
        pyriver.InternalError,
    ]:
        assert issubclass(error, pyriver.PyRiverError)
    assert issubclass(pyriver.InvalidArgumentError, ValueError)
    assert issubclass(pyriver.InvalidArgumentTypeError, TypeError)
    assert not issubclass(pyriver.DatabaseError, ValueError)


def test_versions_come_from_one_place_and_match_the_library() -> None:
    from importlib.metadata import version

    assert pyriver.__version__ == version("pyriver")
    info = pyriver.library_info()
    assert info["river"] == pyriver.RIVER_VERSION
    assert info["go"].startswith("go1.")


def test_a_row_from_the_wire_equals_the_row_its_constructor_builds() -> None:
    """The decoder stores fields without JobRow's __init__; the row must be
    the same row in every respect the class's users see."""
    from datetime import datetime, timezone

    from pyriver._bridge.rows import job_row_from_wire

    moment = datetime(2026, 12, 1, 12, 30, 15, 123456, tzinfo=timezone.utc)
    micros = 1_796_128_215_123_456
    wire = [7, 2, micros, ["host"], micros, '{"n":1}', [{"at_us": micros, "attempt": 1, "error": "e", "trace": "t"}],
            None, "kind", 25, '{"m":2}', 3, "queue", micros, "retryable", ["tag"], "a2V5", ["available"]]  # fmt: skip
    row = job_row_from_wire(wire)
    expected = pyriver.JobRow(
        id=7, attempt=2, attempted_at=moment, attempted_by=["host"], created_at=moment, encoded_args=b'{"n":1}',
        errors=[pyriver.AttemptError(at=moment, attempt=1, error="e", trace="t")], finalized_at=None, kind="kind",
        max_attempts=25, metadata=b'{"m":2}', priority=3, queue="queue", scheduled_at=moment,
        state=JobState.RETRYABLE, tags=["tag"], unique_key=b"key", unique_states=[JobState.AVAILABLE],
    )  # fmt: skip
    assert row == expected and repr(row) == repr(expected)
    assert vars(row).keys() == vars(expected).keys()
    assert row.args == {"n": 1}
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.id = 8  # type: ignore[misc]
