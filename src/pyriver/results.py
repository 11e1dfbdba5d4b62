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
    """The jobs of this page, in the order asked for."""
    last_cursor: str | None
    """Where the next page starts (``after=``); None when the page is empty."""


@dataclass(frozen=True)
class MigrationVersion:
    """One of River's migrations, whether the database has it, and its SQL
    (for applying River's schema with another migration tool)."""

    version: int
    """The migration's number."""
    name: str
    """River's name for the migration."""
    applied: bool
    """Whether the database has it."""
    sql_up: str = ""
    """The SQL that applies it."""
    sql_down: str = ""
    """The SQL that rolls it back."""


@dataclass(frozen=True)
class MigrateValidateResult:
    """River's ``rivermigrate.ValidateResult``: ``ok`` when the schema is
    current; otherwise ``messages`` say what is missing."""

    ok: bool
    """True when the schema has every migration."""
    messages: list[str]
    """What is missing, when not ``ok``."""


@dataclass(frozen=True)
class QueryResult:
    """Rows of an application query run in a transaction."""

    columns: list[str]
    """The column names, in order."""
    rows: list[tuple[object, ...]]
    """The rows, as tuples in column order."""
