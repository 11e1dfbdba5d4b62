"""Job args used across the tests."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pyriver import InsertOpts


@dataclasses.dataclass
class SendEmail:
    kind = "send_email"
    to: str
    subject: str = "hello"


@dataclasses.dataclass
class Values:
    """Matches ValuesArgs in go/cmd/interopcheck: one value of each JSON type."""

    kind = "values"
    text: str = ""
    real: float = 0.0
    signed: int = 0
    unsigned: int = 0
    nested: dict[str, Any] = dataclasses.field(default_factory=dict)
    items: list[Any] = dataclasses.field(default_factory=list)
    empty_map: dict[str, Any] = dataclasses.field(default_factory=dict)
    empty_list: list[str] = dataclasses.field(default_factory=list)
    null: str | None = None


UNIQUE = {"river": "unique"}  # Go's `river:"unique"` struct tag


@dataclasses.dataclass
class Address:
    street: str
    city: str = dataclasses.field(metadata=UNIQUE)


@dataclasses.dataclass
class Tagged:
    """Matches TaggedArgs in go/cmd/interopcheck: unique-by-args keys on
    customer, address.city and region only."""

    kind = "tagged"
    customer: str = dataclasses.field(metadata=UNIQUE)
    amount: int = 0
    address: Address = dataclasses.field(default_factory=lambda: Address("", ""))
    note: str = ""
    region: str = dataclasses.field(default="", metadata=UNIQUE)


@dataclasses.dataclass
class Order:
    """Matches OrderArgs in go/cmd/interopcheck."""

    kind = "order"
    customer: str
    amount: int
    items: list[str]


@dataclasses.dataclass
class Resize:
    kind = "resize"
    width: int


class Sort:
    """Args in riverqueue-python's protocol: a kind and to_json()."""

    kind = "sort"

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings

    def to_json(self) -> str:
        return json.dumps({"strings": self.strings})


@dataclasses.dataclass
class Report:
    """Args with their own insert options, which explicit options override."""

    kind = "report"
    name: str

    def insert_opts(self) -> InsertOpts:
        return InsertOpts(queue="reports", priority=3, tags=["scheduled"], max_attempts=5)


class AnyKind:
    """Args of any kind, with the given fields."""

    def __init__(self, kind: str, **fields: Any) -> None:
        self.kind = kind
        self.fields = fields

    def to_json(self) -> str:
        return json.dumps(self.fields)


def make_running(database: Any, job_id: int) -> None:
    """Put a job in the running state, as a worker that fetched it would."""
    database.execute(
        f"UPDATE river_job SET state = 'running', attempt = 1, attempted_at = CURRENT_TIMESTAMP WHERE id = {job_id}"
    )
