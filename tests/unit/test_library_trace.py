"""pyriver.library_trace records Go's execution tracer around a block."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyriver


def test_a_trace_of_the_block_is_written(tmp_path: Path) -> None:
    path = tmp_path / "go.trace"
    with pyriver.library_trace(path):
        for _ in range(100):
            pyriver.ping()
    data = path.read_bytes()
    assert data.startswith(b"go 1.") and b"trace" in data[:16] and len(data) > 1_000


def test_one_trace_at_a_time_and_a_clear_error_for_a_bad_path(tmp_path: Path) -> None:
    with pyriver.library_trace(tmp_path / "first.trace"):
        with pytest.raises(pyriver.ClientStateError, match="already"):
            with pyriver.library_trace(tmp_path / "second.trace"):
                pass  # pragma: no cover - never entered
    with pytest.raises(pyriver.InvalidArgumentError) as bad:
        with pyriver.library_trace(tmp_path / "no such dir" / "x.trace"):
            pass  # pragma: no cover - never entered
    assert bad.value.param == "path"
    with pyriver.library_trace(tmp_path / "again.trace"):  # the tracer is free again
        pyriver.ping()
