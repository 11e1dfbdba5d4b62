"""insert_many, insert_many_fast, args-level options and unique options."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest

import pyriver
from pyriver import InsertManyParams, InsertOpts, JobState, UniqueOpts
from support.jobargs import Report, Resize, SendEmail, Sort


def test_insert_many_accepts_all_item_forms(client: pyriver.Client) -> None:
    results = client.insert_many(
        [
            SendEmail(to="a"),
            (Resize(640), InsertOpts(queue="images")),
            InsertManyParams(Sort(["x"]), InsertOpts(priority=2)),
        ]
    )
    assert [r.job.kind for r in results] == ["send_email", "resize", "sort"]
    assert [r.job.queue for r in results] == ["default", "images", "default"]
    assert results[2].job.priority == 2
    assert len({r.job.id for r in results}) == 3


def test_insert_many_results_are_the_rows_inserted(client: pyriver.Client) -> None:
    """Results cross by column (values alike in every row once): each must
    still be its own row, as job_get reads it, with its own lists, and only
    the duplicate flagged as one."""
    tags = InsertOpts(tags=["batch"], unique_opts=UniqueOpts(by_args=True))
    existing = client.insert(Sort(["b"]), tags).job
    results = client.insert_many([(Sort([name]), tags) for name in "abc"])
    assert [r.unique_skipped_as_duplicate for r in results] == [False, True, False]
    assert results[1].job == existing
    assert [r.job for r in results] == [client.job_get(r.job.id) for r in results]
    results[0].job.tags.append("changed")
    assert results[2].job.tags == ["batch"]


def _nested(depth: int) -> dict[str, object]:
    value: dict[str, object] = {}
    for _ in range(depth):
        value = {"d": value}
    return value


@pytest.mark.parametrize(
    "metadata",
    [{"big": 2**70}, {"deep": _nested(300)}, {"text": 'é\u2028\U0001f600"\\'}],
    ids=["integer past 64 bits", "300 levels deep", "awkward text"],
)
def test_metadata_arrives_as_given_however_the_request_is_written(
    client: pyriver.Client, metadata: dict[str, object]
) -> None:
    """Insert requests are written by orjson, or by the standard library
    where orjson refuses (integers past 64 bits, nesting past 255 levels)."""
    single = client.insert(SendEmail("one"), InsertOpts(metadata=metadata))
    (many,) = client.insert_many([(SendEmail("many"), InsertOpts(metadata=metadata))])
    for job in (single.job, many.job):
        stored = json.loads(client.job_get(job.id).metadata)
        assert {key: stored[key] for key in metadata} == metadata


def test_insert_many_fast_returns_the_count(client: pyriver.Client) -> None:
    assert client.insert_many_fast([Resize(width) for width in range(250)]) == 250
    assert len(client.job_list(kinds=["resize"], limit=1000).jobs) == 250


def test_args_insert_opts_apply_and_explicit_opts_override(client: pyriver.Client) -> None:
    job = client.insert(Report("daily")).job
    assert (job.queue, job.priority, job.tags, job.max_attempts) == ("reports", 3, ["scheduled"], 5)
    job = client.insert(Report("daily"), InsertOpts(priority=1, tags=["manual"])).job
    assert (job.queue, job.priority, job.tags, job.max_attempts) == ("reports", 1, ["manual"], 5)


@pytest.mark.parametrize(
    ("unique", "same", "different"),
    [
        (UniqueOpts(by_args=True), (SendEmail("a"), None), (SendEmail("b"), None)),
        (UniqueOpts(by_queue=True), (SendEmail("a"), None), (SendEmail("a"), InsertOpts(queue="other"))),
        (UniqueOpts(by_period=timedelta(hours=1)), (SendEmail("b"), None), (Resize(1), None)),
        (
            UniqueOpts(by_period=3600, by_args=True, by_queue=True),
            (SendEmail("a"), None),
            (SendEmail("a"), InsertOpts(queue="q2")),
        ),
        (
            UniqueOpts(
                by_args=True,
                by_state=[
                    JobState.AVAILABLE,
                    JobState.PENDING,
                    JobState.RUNNING,
                    JobState.SCHEDULED,
                    JobState.RETRYABLE,
                ],
            ),
            (SendEmail("a"), None),
            (SendEmail("z"), None),
        ),
    ],
    ids=["by_args", "by_queue", "by_period", "combined", "by_state"],
)
def test_unique_options_deduplicate(
    client: pyriver.Client,
    unique: UniqueOpts,
    same: tuple[pyriver.JobArgs, InsertOpts | None],
    different: tuple[pyriver.JobArgs, InsertOpts | None],
) -> None:
    def insert(item: tuple[pyriver.JobArgs, InsertOpts | None]) -> pyriver.JobInsertResult:
        args, opts = item
        opts = dataclasses.replace(opts) if opts else InsertOpts()
        opts.unique_opts = unique
        return client.insert(args, opts)

    first = insert(same)
    duplicate = insert(same)
    other = insert(different)
    assert not first.unique_skipped_as_duplicate
    assert duplicate.unique_skipped_as_duplicate and duplicate.job.id == first.job.id
    assert not other.unique_skipped_as_duplicate and other.job.id != first.job.id


def test_exclude_kind_deduplicates_across_kinds(client: pyriver.Client) -> None:
    opts = InsertOpts(queue="shared", unique_opts=UniqueOpts(by_queue=True, exclude_kind=True))
    first = client.insert(SendEmail("a"), opts)
    second = client.insert(Resize(1), opts)
    assert second.unique_skipped_as_duplicate and second.job.id == first.job.id


def test_by_period_is_bucketed_on_scheduled_time(client: pyriver.Client) -> None:
    base = datetime(2035, 5, 5, 10, 0, tzinfo=timezone.utc)
    unique = UniqueOpts(by_period=timedelta(hours=1))
    first = client.insert(SendEmail("a"), InsertOpts(scheduled_at=base, unique_opts=unique))
    same_hour = client.insert(SendEmail("a"), InsertOpts(scheduled_at=base + timedelta(minutes=59), unique_opts=unique))
    next_hour = client.insert(SendEmail("a"), InsertOpts(scheduled_at=base + timedelta(hours=1), unique_opts=unique))
    assert same_hour.unique_skipped_as_duplicate and same_hour.job.id == first.job.id
    assert not next_hour.unique_skipped_as_duplicate
