"""Resident memory of a process inserting many jobs through pyriver.

Run by harness.py in its own process: python rss.py URL JOBS. Prints JSON
{"before_mb", "after_mb"}: VmRSS after a warm-up of 10,000 inserts and after
JOBS more, inserted with insert_many in batches of 1,000.
"""

from __future__ import annotations

import gc
import json
import sys

import pyriver
from workloads import Bench

BATCH = 1_000
WARM_UP = 10_000


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def insert(client: pyriver.Client, count: int) -> None:
    for start in range(0, count, BATCH):
        client.insert_many([Bench(n) for n in range(start, min(start + BATCH, count))])


def main() -> None:
    url, jobs = sys.argv[1], int(sys.argv[2])
    with pyriver.Client(url) as client:
        insert(client, min(WARM_UP, jobs))
        gc.collect()
        before = rss_mb()
        insert(client, jobs)
        gc.collect()
        after = rss_mb()
    print(json.dumps({"before_mb": before, "after_mb": after}))


if __name__ == "__main__":
    main()
