"""Results of River operations that are not rivertype rows."""

from __future__ import annotations

from dataclasses import dataclass

from .types import JobRow


@dataclass(frozen=True)
class JobListResult:
    """A page of ``job_list`` (River's ``JobListResult``).

    Pass ``last_cursor`` as ``after=`` with the same filters and order to get
    the next page; it is None when the page is empty.
    """

    jobs: list[JobRow]
    last_cursor: str | None


@dataclass(frozen=True)
class MigrationVersion:
    """One of River's migrations, whether the database has it, and its SQL
    (for applying River's schema with another migration tool)."""

    version: int
    name: str
    applied: bool
    sql_up: str = ""
    sql_down: str = ""


@dataclass(frozen=True)
class MigrateValidateResult:
    """River's ``rivermigrate.ValidateResult``: ``ok`` when the schema is
    current; otherwise ``messages`` say what is missing."""

    ok: bool
    messages: list[str]


@dataclass(frozen=True)
class QueryResult:
    """Rows of an application query run in a transaction."""

    columns: list[str]
    rows: list[tuple[object, ...]]
