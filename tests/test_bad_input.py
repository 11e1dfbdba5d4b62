"""Bad input raises a clear exception naming the problem, and writes nothing."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts

from conftest import Database


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
    ["mysql://root@localhost/db", "not a url", "sqlite://", "sqlite:///:memory:"],
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


def test_refused_postgres_fails_fast() -> None:
    started = time.monotonic()
    with pytest.raises(pyriver.DatabaseError):
        pyriver.Client("postgres://nobody@127.0.0.1:1/db")
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    ("args", "opts", "error", "param"),
    [
        (Job(value=object()), None, pyriver.InvalidArgumentTypeError, "args"),
        (Job(value=float("nan")), None, pyriver.InvalidArgumentTypeError, "args"),
        (EmptyKind(), None, pyriver.InvalidArgumentError, "kind"),
        (object(), None, pyriver.InvalidArgumentTypeError, "args"),
        (Job(), InsertOpts(priority=0), pyriver.InvalidArgumentError, "priority"),
        (Job(), InsertOpts(priority=5), pyriver.InvalidArgumentError, "priority"),
        (Job(), InsertOpts(max_attempts=0), pyriver.InvalidArgumentError, "max_attempts"),
        (Job(), InsertOpts(max_attempts=-3), pyriver.InvalidArgumentError, "max_attempts"),
        (Job(), InsertOpts(priority="high"), pyriver.InvalidArgumentTypeError, "opts.priority"),  # type: ignore[arg-type]
        (Job(), InsertOpts(scheduled_at=datetime(2030, 1, 1)), pyriver.InvalidArgumentError, "opts.scheduled_at"),
    ],
    ids=lambda value: getattr(value, "__name__", None) or repr(value)[:40],
)
def test_bad_insert_is_rejected_and_writes_nothing(
    client: pyriver.Client, database: Database, args: Any, opts: InsertOpts | None, error: type[Exception], param: str
) -> None:
    with pytest.raises(error) as info:
        client.insert(args, opts)
    assert getattr(info.value, "param", None) == param
    assert param.split(".")[-1] in str(info.value)
    assert database.job_count() == 0


def test_a_bad_job_in_a_batch_writes_none_of_it(client: pyriver.Client, database: Database) -> None:
    with pytest.raises(pyriver.InvalidArgumentError):
        client.insert_many([Job(1), Job(2), (Job(3), InsertOpts(priority=9))])
    assert database.job_count() == 0
