"""pyriver.otel writes snooze durations as Go's time.Duration.String does (otelriver's snooze.duration)."""

from __future__ import annotations

import pytest

from pyriver.otel import go_duration


@pytest.mark.parametrize(
    ("nanoseconds", "go"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (100_000_000, "100ms"),
        (1_500_000, "1.5ms"),
        (1_500_000_000, "1.5s"),
        (60_000_000_000, "1m0s"),
        (90_000_000_000, "1m30s"),
        (3_600_000_000_000, "1h0m0s"),
        (3_661_500_000_000, "1h1m1.5s"),
        (-2_000_000_000, "-2s"),
        (1_000_000_001, "1.000000001s"),
    ],
)
def test_durations_read_as_go_writes_them(nanoseconds: int, go: str) -> None:
    assert go_duration(nanoseconds) == go
