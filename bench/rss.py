"""Resident memory of a process inserting many jobs through pyriver.

Run by harness.py in its own process: python rss.py URL JOBS [BIG_BATCH].
Prints JSON {"before_mb", "after_mb", "batch_peak_bytes_per_job"}: VmRSS after
a warm-up of 10,000 inserts and after JOBS more, inserted with insert_many in
batches of 1,000; then the growth of peak RSS (VmHWM) over one insert_many of
BIG_BATCH jobs, results kept, per job.
"""

from __future__ import annotations

import gc
import json
import sys

import pyriver
from workloads import Bench

BATCH = 1_000
WARM_UP = 10_000


def status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_mb() -> float:
    return status_kb("VmRSS") / 1024


def insert(client: pyriver.Client, count: int) -> None:
    for start in range(0, count, BATCH):
        client.insert_many([Bench(n) for n in range(start, min(start + BATCH, count))])


def main() -> None:
    url, jobs, big_batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with pyriver.Client(url) as client:
        insert(client, min(WARM_UP, jobs))
        gc.collect()
        before = rss_mb()
        insert(client, jobs)
        gc.collect()
        after = rss_mb()
        batch = [Bench(n) for n in range(big_batch)]  # the application's own objects, made first
        peak_before = status_kb("VmHWM")
        results = client.insert_many(batch)
        peak_growth = (status_kb("VmHWM") - peak_before) * 1024 / len(results)
    print(json.dumps({"before_mb": before, "after_mb": after, "batch_peak_bytes_per_job": peak_growth}))


if __name__ == "__main__":
    main()
