"""Python encodes args byte for byte as Go's encoding/json encodes the struct
they mirror, so River's unique-by-args keys agree in both insert orders."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts, UniqueOpts
from support.databases import Database
from support.goprograms import interopcheck
from support.jobargs import Address, Tagged, Values

# Each case sets some of ValuesArgs' fields; the others keep their zero values.
VALUE_CASES: dict[str, dict[str, Any]] = {
    "non_ascii": {"text": "Zoë 日本 😀"},
    "html": {"text": "<a&b>"},
    "line_separators": {"text": "\u2028\u2029"},
    # (NUL is left out: PostgreSQL's jsonb refuses it from Go and Python alike.)
    "control_characters": {"text": '\x01\b\f\n\r\t\x1f\x7f"\\'},
    "small_float": {"real": 1e-05},
    "below_fixed_notation": {"real": 1e-07},
    "large_float": {"real": 1e16},
    "exponent_float": {"real": 1e21},
    "whole_float": {"real": 2.0},
    "tenth": {"real": 0.1},
    "negative_float": {"real": -1.5e-10},
    "smallest_float": {"real": 5e-324},
    "largest_float": {"real": 1.7976931348623157e308},
    "max_int64": {"signed": 2**63 - 1},
    "min_int64": {"signed": -(2**63)},
    "max_uint64": {"unsigned": 2**64 - 1},
    "nested": {"nested": {"zeta": {"b": [1, "x", None, True], "a": 0.5}, "alpha": None, "ü": "ñ"}},
    "list": {"items": [1, "two", None, {"k": 1e-7, "a": []}, [], {}]},
    "null": {"null": None},
}


def go_row(database: Database, values: dict[str, Any], unique: bool) -> dict[str, Any]:
    """Go decodes the case into ValuesArgs and inserts that struct."""
    args = dataclasses.asdict(Values(**values))
    opts = {"unique_opts": {"by_args": True}} if unique else {}
    (row,) = interopcheck(database.url, "insert", [{"kind": "values", "args": args, "opts": opts}])
    return dict(row)


@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_python_encodes_args_as_go_does(client: pyriver.Client, database: Database, case: str) -> None:
    values = VALUE_CASES[case]
    from_python = client.insert(Values(**values)).job
    from_go = go_row(database, values, unique=False)
    # On SQLite these are the bytes River wrote; PostgreSQL's jsonb rewrites
    # both, and the unique keys below compare the bytes River hashed.
    assert from_python.encoded_args == from_go["encoded_args"].encode()


@pytest.mark.parametrize("first", ["go", "python"])
@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_unique_by_args_deduplicates_across_languages(
    client: pyriver.Client, database: Database, case: str, first: str
) -> None:
    values = VALUE_CASES[case]

    def from_go() -> tuple[int, bytes, bool]:
        row = go_row(database, values, unique=True)
        return row["id"], base64.b64decode(row["unique_key"]), row["unique_skipped_as_duplicate"]

    def from_python() -> tuple[int, bytes, bool]:
        result = client.insert(Values(**values), InsertOpts(unique_opts=UniqueOpts(by_args=True)))
        assert result.job.unique_key is not None
        return result.job.id, result.job.unique_key, result.unique_skipped_as_duplicate

    inserters = [from_go, from_python] if first == "go" else [from_python, from_go]
    (first_id, first_key, first_skipped), (second_id, second_key, second_skipped) = [insert() for insert in inserters]
    assert not first_skipped and second_skipped
    assert (second_id, second_key) == (first_id, first_key)


def tagged(customer: str, amount: int, city: str, note: str) -> Tagged:
    return Tagged(customer=customer, amount=amount, address=Address(f"{amount} Main St", city), note=note, region="eu")


# Five jobs: only the first two differ in a field marked unique.
TAGGED_JOBS = [
    tagged("ada", 1, "Paris", "first"),
    tagged("ada", 1, "Lyon", "other city"),
    tagged("ada", 2, "Paris", "other amount"),
    tagged("ada", 3, "Paris", "other note"),
    tagged("ada", 4, "Paris", "other street"),
]


@pytest.mark.parametrize("first", ["go", "python"])
def test_fields_marked_unique_key_as_gos_tagged_fields(client: pyriver.Client, database: Database, first: str) -> None:
    unique = InsertOpts(unique_opts=UniqueOpts(by_args=True))

    def insert(language: str, job: Tagged) -> tuple[int, bytes | None, bool]:
        if language == "python":
            result = client.insert(job, unique)
            return result.job.id, result.job.unique_key, result.unique_skipped_as_duplicate
        spec = {"kind": "tagged", "args": dataclasses.asdict(job), "opts": {"unique_opts": {"by_args": True}}}
        (row,) = interopcheck(database.url, "insert", [spec])
        return row["id"], base64.b64decode(row["unique_key"]), row["unique_skipped_as_duplicate"]

    second = "go" if first == "python" else "python"
    results = [insert(first if i % 2 == 0 else second, job) for i, job in enumerate(TAGGED_JOBS)]
    assert [skipped for _, _, skipped in results] == [False, False, True, True, True]
    assert len({job_id for job_id, _, _ in results}) == 2
    assert {key for _, key, _ in results[2:]} == {results[0][1]}
    # The row holds every field, not only the unique ones.
    assert client.job_get(results[0][0]).args == dataclasses.asdict(TAGGED_JOBS[0])
