"""Insert middleware in Python, of two kinds.

:class:`JobInsertMiddleware` is River's ``rivertype.JobInsertMiddleware``:
it sees and may change the parameters River filled in. River runs insert
middleware inside its insert, in Go, and Go never calls Python. So an insert
through such middleware goes through River twice: the first pass stops
before River's first query and returns the parameters River filled in; the
middleware chain sees (and may change) them; ``do_inner()`` makes the second
pass, which inserts with the middleware's version. A middleware that raises
leaves nothing written. ``insert_many_fast`` runs none of them.

:class:`InsertWrapper` wraps the insert call itself, at no extra pass: it
sees the jobs' kinds, may ask for top-level metadata keys to be written into
every job once River filled it in (where a Go insert middleware such as
otelriver writes trace context), and gets River's results. It runs on every
insert call, ``insert_many_fast`` included. :mod:`pyriver.otel` is one.

Wrappers run outermost, in their order; River-style middleware inside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ._bridge import calls
from ._chain import run_chain
from ._bridge.targets import Target
from .errors import InvalidArgumentTypeError
from .types import JobInsertParams, JobInsertResult


class JobInsertMiddleware(Protocol):
    """Wraps inserts. Call ``do_inner()`` to insert the (possibly changed)
    ``params`` and get River's results."""

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]:
        """River's ``InsertMany`` hook: change ``params`` in place, call
        ``do_inner()``, and return (or inspect) its results."""
        ...


@dataclass
class InsertBatch:
    """One insert call, as an :class:`InsertWrapper` sees it."""

    kinds: list[str]
    """Each job's kind, in order."""
    fast: bool
    """``insert_many_fast``: ``do_inner()`` returns the count, not rows."""
    set_metadata: dict[str, str] = field(default_factory=dict)
    """Top-level keys to write into every job's metadata after River (and any
    River-style middleware) filled it in; metadata that is not a JSON object
    is left as it is."""


@runtime_checkable
class InsertWrapper(Protocol):
    """Wraps a whole insert call. Call ``do_inner()`` to insert and return
    what it returns: River's results, or the count for ``insert_many_fast``."""

    def wrap_insert(
        self, batch: InsertBatch, do_inner: Callable[[], list[JobInsertResult] | int]
    ) -> list[JobInsertResult] | int:
        """Run around one insert call: ``batch`` says what is inserted and
        takes metadata to add; return what ``do_inner()`` returned."""
        ...


InsertMiddleware = JobInsertMiddleware | InsertWrapper
"""What ``Client(insert_middleware=...)`` takes: either kind, mixed."""


@dataclass(frozen=True)
class InsertChain:
    """A client's insert middleware, sorted into wrappers and River-style."""

    wrappers: tuple[InsertWrapper, ...] = ()
    river_style: tuple[JobInsertMiddleware, ...] = ()

    @classmethod
    def of(cls, middleware: Sequence[Any]) -> InsertChain:
        """Sort ``Client(insert_middleware=...)`` by kind, refusing what is
        neither, naming its position."""
        wrappers, river_style = [], []
        for position, item in enumerate(middleware):
            if isinstance(item, InsertWrapper):
                wrappers.append(item)
            elif callable(getattr(item, "insert_many", None)):
                river_style.append(item)
            else:
                raise InvalidArgumentTypeError(
                    f"insert_middleware[{position}] must have an insert_many(params, do_inner) "
                    f"or a wrap_insert(batch, do_inner) method; {type(item).__name__} has neither",
                    "insert_middleware",
                )
        return cls(tuple(wrappers), tuple(river_style))

    @property
    def has_middleware(self) -> bool:
        return bool(self.wrappers or self.river_style)

    def insert(self, target: Target, jobs: list[dict[str, Any]]) -> list[JobInsertResult]:
        """Insert encoded jobs on ``target`` through the middleware."""
        if not self.wrappers:
            return self._insert_rows(target, jobs, {})
        batch = InsertBatch([job["kind"] for job in jobs], fast=False)
        results = self._wrapped(batch, lambda: self._insert_rows(target, jobs, batch.set_metadata))
        assert not isinstance(results, int)
        return results

    def insert_fast(self, target: Target, jobs: list[dict[str, Any]]) -> int:
        """``insert_many_fast`` through the wrappers (River-style middleware
        needs rows, which InsertManyFast does not return)."""
        if not self.wrappers:
            return calls.insert_many_fast(target, jobs)
        batch = InsertBatch([job["kind"] for job in jobs], fast=True)
        count = self._wrapped(batch, lambda: calls.insert_many_fast(target, jobs, batch.set_metadata))
        assert isinstance(count, int)
        return count

    def _wrapped(
        self, batch: InsertBatch, insert: Callable[[], list[JobInsertResult] | int]
    ) -> list[JobInsertResult] | int:
        def step(
            wrapper: InsertWrapper, do_inner: Callable[[], list[JobInsertResult] | int]
        ) -> list[JobInsertResult] | int:
            return wrapper.wrap_insert(batch, do_inner)

        return run_chain(self.wrappers, step, insert)

    def _insert_rows(
        self, target: Target, jobs: list[dict[str, Any]], set_metadata: dict[str, str]
    ) -> list[JobInsertResult]:
        if not self.river_style:
            return calls.insert_many(target, jobs, set_metadata)
        params = calls.insert_prepare(target, jobs)
        return run_chain(
            self.river_style,
            lambda middleware, do_inner: middleware.insert_many(params, do_inner),
            lambda: calls.insert_with_params(target, jobs, params, set_metadata),
        )
