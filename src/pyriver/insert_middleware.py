"""JobInsertMiddleware (``rivertype.JobInsertMiddleware``) in Python.

River runs insert middleware inside its insert, in Go, and Go never calls
Python. So an insert through Python middleware goes through River twice: the
first pass returns the parameters River filled in and writes nothing; the
middleware chain sees (and may change) them; ``do_inner()`` makes the second
pass, which inserts with the middleware's version. A middleware that raises
leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ._bridge import calls
from ._bridge.targets import Target
from .types import JobInsertParams, JobInsertResult


class JobInsertMiddleware(Protocol):
    """Wraps inserts. Call ``do_inner()`` to insert the (possibly changed)
    ``params`` and get River's results."""

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]: ...


def insert_through_middleware(
    target: Target,
    jobs: list[dict[str, Any]],
    middleware: Sequence[JobInsertMiddleware],
) -> list[JobInsertResult]:
    params = calls.insert_prepare(target, jobs)

    def through(position: int) -> list[JobInsertResult]:
        if position == len(middleware):
            return calls.insert_with_params(target, jobs, params)
        return middleware[position].insert_many(params, lambda: through(position + 1))

    return through(0)
