"""The dataclasses mirror River's rivertype exactly."""

from __future__ import annotations

import dataclasses

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
