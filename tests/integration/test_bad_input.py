# Wrongly typed arguments are this file's subject.
# mypy: disable-error-code="arg-type,list-item"
"""Bad input raises a clear exception naming the problem, and writes nothing."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts, JobState, UniqueOpts

from support.databases import Database


@dataclasses.dataclass
class Job:
    kind = "job"
    value: Any = None


class EmptyKind:
    kind = ""

    def to_json(self) -> str:
        return "{}"


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/db", "not a url", "sqlite://", "sqlite:///:memory:", "sqlite:///root-or-relative.db"],
)
def test_unsupported_url_is_rejected(url: str) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        pyriver.Client(url)
    assert info.value.param == "url"


def test_unreachable_postgres_fails_fast() -> None:
    started = time.monotonic()
    # A TEST-NET address: routed nowhere, so only the connect timeout ends it.
    with pytest.raises(pyriver.DatabaseError, match="cannot connect"):
        pyriver.Client("postgres://nobody@192.0.2.1:5432/db?connect_timeout=2")
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:S3cr3t@127.0.0.1:1/db",
        "postgres://u@127.0.0.1:1/db?password=S3cr3t",
        "postgresql://u@127.0.0.1:1/db?sslmode=disable&sslpassword=S3cr3t",
        "postgres://u@127.0.0.1:1/db?passfile=/S3cr3t",
        "postgres://u:S3cr3t@127.0.0.1:notaport/db",
        "postgres://u:S3cr3t@[::1/db",
        "host=127.0.0.1 port=1 user=u password=S3cr3t",
    ],
)
def test_no_password_reaches_an_exception(url: str) -> None:
    with pytest.raises(pyriver.PyRiverError) as info:
        pyriver.Client(url)
    assert "S3cr3t" not in str(info.value) and "S3cr3t" not in repr(info.value)


def test_refused_postgres_fails_fast() -> None:
    started = time.monotonic()
    with pytest.raises(pyriver.DatabaseError):
        pyriver.Client("postgres://nobody@127.0.0.1:1/db")
    assert time.monotonic() - started < 15


Invalid = pyriver.InvalidArgumentError
WrongType = pyriver.InvalidArgumentTypeError


@pytest.mark.parametrize(
    ("args", "opts", "error", "param"),
    [
        # args
        (Job(value=object()), None, WrongType, "args"),
        (Job(value=float("nan")), None, WrongType, "args"),
        (EmptyKind(), None, Invalid, "kind"),
        (object(), None, WrongType, "args"),
        # priority
        (Job(), InsertOpts(priority=0), Invalid, "opts.priority"),
        (Job(), InsertOpts(priority=5), Invalid, "opts.priority"),
        (Job(), InsertOpts(priority="high"), WrongType, "opts.priority"),
        (Job(), InsertOpts(priority=True), WrongType, "opts.priority"),
        # max_attempts
        (Job(), InsertOpts(max_attempts=0), Invalid, "opts.max_attempts"),
        (Job(), InsertOpts(max_attempts=-3), Invalid, "opts.max_attempts"),
        (Job(), InsertOpts(max_attempts=2.5), WrongType, "opts.max_attempts"),
        # queue
        (Job(), InsertOpts(queue=""), Invalid, "opts.queue"),
        (Job(), InsertOpts(queue="no spaces allowed!"), Invalid, "opts.queue"),
        (Job(), InsertOpts(queue=7), WrongType, "opts.queue"),
        # tags
        (Job(), InsertOpts(tags=["has space"]), Invalid, "opts.tags"),
        (Job(), InsertOpts(tags=["x" * 300]), Invalid, "opts.tags"),
        (Job(), InsertOpts(tags="just-a-string"), WrongType, "opts.tags"),
        (Job(), InsertOpts(tags=[1, 2]), WrongType, "opts.tags"),
        # unique options
        (
            Job(),
            InsertOpts(unique_opts=UniqueOpts(by_state=[JobState.AVAILABLE])),
            Invalid,
            "opts.unique_opts.by_state",
        ),
        (Job(), InsertOpts(unique_opts=UniqueOpts(by_state=["sleeping"])), Invalid, "opts.unique_opts.by_state"),
        (Job(), InsertOpts(unique_opts=UniqueOpts(by_period=0.5)), Invalid, "opts.unique_opts.by_period"),
        (
            Job(),
            InsertOpts(unique_opts=UniqueOpts(by_period=timedelta(milliseconds=10))),
            Invalid,
            "opts.unique_opts.by_period",
        ),
        (Job(), InsertOpts(unique_opts=UniqueOpts(by_period="1h")), WrongType, "opts.unique_opts.by_period"),
        (Job(), InsertOpts(unique_opts=UniqueOpts(exclude_kind=True)), Invalid, "opts.unique_opts"),
        (Job(), InsertOpts(unique_opts={"by_args": True}), WrongType, "opts.unique_opts"),
        # scheduled_at
        (Job(), InsertOpts(scheduled_at=datetime(2030, 1, 1)), Invalid, "opts.scheduled_at"),
        (Job(), InsertOpts(scheduled_at="2030-01-01"), WrongType, "opts.scheduled_at"),
        # metadata
        (Job(), InsertOpts(metadata=["not", "a", "dict"]), WrongType, "opts.metadata"),
        (Job(), InsertOpts(metadata={"when": object()}), WrongType, "opts.metadata"),
        # options object itself
        (Job(), {"priority": 1}, WrongType, "opts"),
    ],
    ids=lambda value: getattr(value, "__name__", None) or repr(value)[:60],
)
def test_bad_insert_is_rejected_and_writes_nothing(
    client: pyriver.Client, database: Database, args: Any, opts: InsertOpts | None, error: type[Exception], param: str
) -> None:
    with pytest.raises(error) as info:
        client.insert(args, opts)
    assert getattr(info.value, "param", None) == param
    assert param.split(".")[-1].replace("_", "") in str(info.value).replace("_", "").lower()
    assert database.job_count() == 0


def test_a_bad_job_in_a_batch_writes_none_of_it(client: pyriver.Client, database: Database) -> None:
    with pytest.raises(pyriver.InvalidArgumentError):
        client.insert_many([Job(1), Job(2), (Job(3), InsertOpts(priority=9))])
    assert database.job_count() == 0


def test_bad_insert_in_a_transaction_or_fast_path_writes_nothing(client: pyriver.Client, database: Database) -> None:
    with pytest.raises(pyriver.InvalidArgumentError):
        client.insert_many_fast([Job(1), (Job(2), InsertOpts(max_attempts=0))])
    with pytest.raises(pyriver.InvalidArgumentError):
        with client.transaction() as tx:
            tx.insert(Job(1))
            tx.insert(Job(2), InsertOpts(priority=7))
    assert database.job_count() == 0
