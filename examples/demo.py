"""pyriver's main job on the embedded default: River on a SQLite file, no
server, in a mixed deployment.

Python creates the database, applies River's migrations and inserts jobs; the
Go half (bin/pyriver-worker, a plain River client with Go workers) works
them; Python reports the final state of every job as River stored it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pyriver
from go_kinds import Echo, Flaky, Tally
from pyriver import InsertOpts, JobState, UniqueOpts

GO_WORKER = Path(__file__).resolve().parent.parent / "bin" / "pyriver-worker"


def wait_until_final(client: pyriver.Client, ids: list[int], timeout: float = 30) -> list[pyriver.JobRow]:
    final = {JobState.COMPLETED, JobState.DISCARDED, JobState.CANCELLED}
    deadline = time.monotonic() + timeout
    while True:
        jobs = client.job_list(ids=ids).jobs
        if all(job.state in final for job in jobs) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.1)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pyriver-demo-")) / "river.db"
    url = f"sqlite:///{path.absolute()}"
    with pyriver.Client(url) as client:
        applied = client.migrate()
        print(f"database {path}: applied River migrations {applied or 'none (already current)'}")

        results = client.insert_many(
            [
                Echo(
                    nested={"ü": [1, None, True]},
                    text="héllo 🌍",
                    big_int=2**62 + 1,
                    big_uint=2**64 - 1,
                    float=0.1,
                    empty_list=[],
                ),
                (Flaky(fail_times=2, message="upstream timeout"), InsertOpts(priority=2, tags=["retried"])),
                (Flaky(fail_times=9, message="always broken"), InsertOpts(max_attempts=2)),
                *[Tally(n) for n in range(3)],
            ]
        )
        unique = InsertOpts(unique_opts=UniqueOpts(by_args=True, by_period=timedelta(hours=1)))
        results += [client.insert(Tally(100), unique), client.insert(Tally(100), unique)]
        duplicates = sum(result.unique_skipped_as_duplicate for result in results)
        ids = sorted({result.job.id for result in results})
        print(f"Python inserted {len(ids)} jobs ({duplicates} unique duplicate skipped); starting the Go worker")

        worker = subprocess.Popen(
            [str(GO_WORKER), "-database-url", url, "-retry-delay", "200ms"], stdout=subprocess.PIPE, text=True
        )
        try:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
            jobs = wait_until_final(client, ids)
        finally:
            worker.terminate()
            worker.wait(30)

        print(f"\n{'id':>3}  {'kind':<6} {'state':<10} {'attempt':>7}  details")
        for job in jobs:
            if job.errors:
                details = f"errors: {[e.error for e in job.errors]}"
            elif job.output is not None:
                details = f"Go output: {job.output}"
            else:
                details = f"args: {job.args}"
            print(f"{job.id:>3}  {job.kind:<6} {job.state.value:<10} {job.attempt:>7}  {details}")


if __name__ == "__main__":
    main()
