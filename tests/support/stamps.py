"""A River-style insert middleware for tests: sets every job's metadata."""

from __future__ import annotations

from collections.abc import Callable

from pyriver import JobInsertParams, JobInsertResult


class StampMetadata:
    """Replaces every job's metadata with ``{"stamped": true}``."""

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]:
        for param in params:
            param.metadata = b'{"stamped": true}'
        return do_inner()
