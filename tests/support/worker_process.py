"""A Python worker process for the tests that signal or kill one.

Usage: python worker_process.py URL SOFT_STOP_SECONDS [RESCUE_AFTER_SECONDS]

Works "nap" jobs (args {"seconds": n, "retry_seconds": m}): each sleeps n
seconds (m on later attempts), waking early if
River cancels it, and records its pid. Prints "started ID" as each job
starts, runs until SIGINT or SIGTERM (Client.run), then prints "stopped".
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import pyriver


_output_lock = threading.Lock()


def say(line: str) -> None:
    """One whole line at a time: handlers run in several threads."""
    with _output_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def nap(job: pyriver.Job[dict[str, Any]]) -> dict[str, Any]:
    say(f"started {job.id}")
    seconds = job.args["seconds"] if job.attempt == 1 else job.args.get("retry_seconds", job.args["seconds"])
    cancelled = job.wait_cancelled(seconds)
    return {"pid": os.getpid(), "cancelled": cancelled}


def main() -> None:
    url, soft_stop = sys.argv[1], float(sys.argv[2])
    rescue_after = float(sys.argv[3]) if len(sys.argv) > 3 else None
    workers = pyriver.Workers()
    workers.add("nap", nap)
    client = pyriver.Client(
        url,
        workers=workers,
        queues={"default": pyriver.QueueConfig(max_workers=5)},
        soft_stop_timeout=soft_stop,
        rescue_stuck_jobs_after=rescue_after,
        # River rescues only jobs past their timeout, and requires the rescue
        # threshold to be at least the timeout.
        job_timeout=rescue_after,
        fetch_poll_interval=0.1,
    )
    with client:
        say("ready")
        client.run()
    say("stopped")


if __name__ == "__main__":
    main()
