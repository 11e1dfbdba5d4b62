"""Job operations: list with filters and cursors, cancel, delete, retry."""

from __future__ import annotations

import pytest

import pyriver
from pyriver import InsertOpts, JobState
from support.databases import Database
from support.jobargs import Resize, SendEmail, make_running


@pytest.fixture
def jobs(client: pyriver.Client) -> list[pyriver.JobRow]:
    """Eight jobs with varied kinds, queues, priorities and tags."""
    results = client.insert_many(
        [
            (SendEmail("a"), InsertOpts(queue="mail", priority=1, tags=["alpha", "beta"])),
            (SendEmail("b"), InsertOpts(queue="mail", priority=2, tags=["alpha"])),
            (SendEmail("c"), InsertOpts(queue="mail", priority=3, tags=["gamma"])),
            (Resize(1), InsertOpts(queue="images", priority=1, tags=["beta"])),
            (Resize(2), InsertOpts(queue="images", priority=4)),
            (Resize(3), InsertOpts(queue="images", priority=2, pending=True)),
            (Resize(4), InsertOpts(queue="default", priority=1, tags=["alpha", "gamma"])),
            (Resize(5), InsertOpts(queue="default", priority=3)),
        ]
    )
    return [result.job for result in results]


def ids(result: pyriver.JobListResult) -> list[int]:
    return [job.id for job in result.jobs]


def test_job_list_filters(client: pyriver.Client, jobs: list[pyriver.JobRow]) -> None:
    all_ids = [job.id for job in jobs]
    assert ids(client.job_list()) == all_ids
    assert ids(client.job_list(ids=all_ids[2:4])) == all_ids[2:4]
    assert ids(client.job_list(kinds=["send_email"])) == all_ids[:3]
    assert ids(client.job_list(queues=["images", "default"])) == all_ids[3:]
    assert ids(client.job_list(priorities=[1])) == [all_ids[0], all_ids[3], all_ids[6]]
    assert ids(client.job_list(states=[JobState.PENDING])) == [all_ids[5]]
    assert ids(client.job_list(states=["available"], kinds=["resize"])) == [
        all_ids[3],
        all_ids[4],
        all_ids[6],
        all_ids[7],
    ]
    assert ids(client.job_list(tags_any=["gamma", "beta"])) == [all_ids[0], all_ids[2], all_ids[3], all_ids[6]]
    assert ids(client.job_list(tags_all=["alpha", "gamma"])) == [all_ids[6]]
    assert ids(client.job_list(order="desc")) == all_ids[::-1]
    assert (
        ids(client.job_list(order_by="scheduled_at", limit=3))
        == sorted(all_ids, key=lambda i: (jobs[all_ids.index(i)].scheduled_at, i))[:3]
    )


def test_job_list_cursor_resumes_exactly(client: pyriver.Client, jobs: list[pyriver.JobRow]) -> None:
    for order in ["asc", "desc"]:
        seen: list[int] = []
        after = None
        while True:
            page = client.job_list(order=order, limit=3, after=after, kinds=["send_email", "resize"])
            if not page.jobs:
                break
            seen += ids(page)
            after = page.last_cursor
        expected = [job.id for job in jobs]
        assert seen == (expected if order == "asc" else expected[::-1])


def test_cursor_from_another_listing_is_rejected(client: pyriver.Client, jobs: list[pyriver.JobRow]) -> None:
    cursor = client.job_list(limit=2, kinds=["resize"]).last_cursor
    assert cursor is not None
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.job_list(limit=2, kinds=["send_email"], after=cursor)
    assert info.value.param == "after"
    with pytest.raises(pyriver.InvalidArgumentError, match="after"):
        client.job_list(limit=2, kinds=["resize"], order="desc", after=cursor)
    with pytest.raises(pyriver.InvalidArgumentError, match="not a job_list cursor"):
        client.job_list(after="garbage!")


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 10_001}, "limit"),
        ({"states": ["sleeping"]}, "states"),
        ({"order_by": "kind"}, "order_by"),
        ({"order": "sideways"}, "order"),
    ],
)
def test_job_list_bad_arguments(client: pyriver.Client, kwargs: dict[str, object], param: str) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.job_list(**kwargs)  # type: ignore[arg-type]
    assert info.value.param == param


def test_job_list_wrong_types(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.InvalidArgumentTypeError, match="kinds"):
        client.job_list(kinds="send_email")
    with pytest.raises(pyriver.InvalidArgumentTypeError, match="ids"):
        client.job_list(ids=["1"])  # type: ignore[list-item]


def test_cancel_delete_retry(client: pyriver.Client, database: Database) -> None:
    job = client.insert(SendEmail("a")).job
    cancelled = client.job_cancel(job.id)
    assert cancelled.state is JobState.CANCELLED and cancelled.finalized_at is not None
    retried = client.job_retry(job.id)
    assert retried.state is JobState.AVAILABLE and retried.finalized_at is None
    deleted = client.job_delete(job.id)
    assert deleted.id == job.id
    with pytest.raises(pyriver.NotFoundError):
        client.job_get(job.id)
    assert database.job_count() == 0


@pytest.mark.parametrize("operation", ["job_get", "job_cancel", "job_delete", "job_retry"])
def test_missing_ids_raise_not_found(client: pyriver.Client, operation: str) -> None:
    with pytest.raises(pyriver.NotFoundError):
        getattr(client, operation)(987654)


def test_deleting_a_running_job_raises_job_running(client: pyriver.Client, database: Database) -> None:
    job = client.insert(SendEmail("a")).job
    make_running(database, job.id)
    with pytest.raises(pyriver.JobRunningError):
        client.job_delete(job.id)
    assert client.job_get(job.id).state is JobState.RUNNING


def test_job_delete_many(client: pyriver.Client, jobs: list[pyriver.JobRow], database: Database) -> None:
    deleted = client.job_delete_many(queues=["images"])
    assert sorted(job.id for job in deleted) == [job.id for job in jobs[3:6]]
    assert database.job_count() == 5
    deleted = client.job_delete_many(kinds=["send_email"], priorities=[2, 3])
    assert sorted(job.id for job in deleted) == [jobs[1].id, jobs[2].id]


def test_job_delete_many_refuses_to_delete_everything_by_accident(
    client: pyriver.Client, jobs: list[pyriver.JobRow], database: Database
) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.job_delete_many()
    assert info.value.param == "unsafe_all"
    with pytest.raises(pyriver.InvalidArgumentError):
        client.job_delete_many(kinds=["resize"], unsafe_all=True)
    assert database.job_count() == len(jobs)
    assert len(client.job_delete_many(unsafe_all=True)) == len(jobs)
    assert database.job_count() == 0
