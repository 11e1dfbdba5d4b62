"""Micro-benchmark: one no-op call through the C boundary (Python -> cffi ->
Go -> JSON envelope -> Python), in microseconds. Not a test: it reports."""

from __future__ import annotations

import argparse
import statistics
import time

from pyriver import _native


def measure(calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        _native.call("ping", {})
    return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    measure(1_000)  # load the library and warm up
    samples = [measure(options.calls) for _ in range(options.rounds)]
    print(f"C-boundary no-op round trip: median {statistics.median(samples):.2f} µs, "
          f"min {min(samples):.2f} µs over {options.rounds} rounds of {options.calls} calls")


if __name__ == "__main__":
    main()
