"""pyriver.testing: rivertest's helpers for Python applications' tests."""

from __future__ import annotations

from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts, JobState
from pyriver.testing import ExpectedJob, require_inserted, require_many_inserted, require_not_inserted, work_job
from support.jobargs import Resize, SendEmail


def test_require_inserted_finds_the_one_job_and_checks_it(client: pyriver.Client) -> None:
    with pytest.raises(AssertionError, match="expected 1 job of kind 'send_email' to be inserted, found 0"):
        require_inserted(client, SendEmail)
    inserted = client.insert(SendEmail("ada@example.com"), InsertOpts(queue="mail", priority=2)).job
    job = require_inserted(client, SendEmail, queue="mail", priority=2, state="available")
    assert job.id == inserted.id
    with pytest.raises(AssertionError, match="queue is 'mail', expected 'default'"):
        require_inserted(client, SendEmail, queue="default")
    client.insert(SendEmail("bo@example.com"))
    with pytest.raises(AssertionError, match="found 2"):
        require_inserted(client, "send_email")


def test_helpers_see_inside_an_uncommitted_transaction(client: pyriver.Client) -> None:
    with client.transaction() as tx:
        tx.insert(Resize(100))
        require_inserted(tx, Resize)
        tx.rollback()
    require_not_inserted(client, Resize)


def test_require_many_inserted_checks_kinds_in_order(client: pyriver.Client) -> None:
    client.insert_many(
        [SendEmail("a@example.com"), Resize(5), (SendEmail("b@example.com"), InsertOpts(tags=["urgent"]))]
    )
    jobs = require_many_inserted(
        client, [ExpectedJob(SendEmail), ExpectedJob("resize"), ExpectedJob(SendEmail, tags=["urgent"])]
    )
    assert [job.kind for job in jobs] == ["send_email", "resize", "send_email"]
    with pytest.raises(AssertionError, match="expected jobs of kinds"):
        require_many_inserted(client, [ExpectedJob(Resize), ExpectedJob(SendEmail)])
    require_not_inserted(client, SendEmail, queue="elsewhere")
    with pytest.raises(AssertionError, match="expected no job of kind 'send_email'"):
        require_not_inserted(client, SendEmail, tags=["urgent"])


def test_work_job_runs_the_real_handler_through_river(client: pyriver.Client) -> None:
    workers = pyriver.Workers()

    def resize(job: pyriver.Job[Resize]) -> dict[str, Any]:
        if job.args.width < 0:
            raise ValueError("negative width")
        return {"width": job.args.width}

    workers.add(Resize, resize)
    done = work_job(client, workers, Resize(640))
    assert done.state is JobState.COMPLETED and done.output == {"width": 640}
    failed = work_job(client, workers, Resize(-1))
    assert failed.state is JobState.RETRYABLE and failed.errors[0].error == "ValueError: negative width"


def test_the_river_client_fixture_is_a_migrated_sqlite_client(river_client: pyriver.Client) -> None:
    assert river_client.url.startswith("sqlite://") and river_client.migrate_validate().ok
