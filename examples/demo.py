"""pyriver's main job on the embedded default: River on a SQLite file, no
server. Creates the database, applies River's migrations, inserts a few jobs
from Python and prints them as River stored them."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyriver
from pyriver import InsertOpts, UniqueOpts


@dataclasses.dataclass
class SendEmail:
    kind = "send_email"
    to: str
    subject: str


@dataclasses.dataclass
class ResizeImage:
    kind = "resize_image"
    path: str
    width: int


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pyriver-demo-")) / "river.db"
    with pyriver.Client(f"sqlite:///{path.absolute()}") as client:
        applied = client.migrate()
        print(f"database {path}: applied River migrations {applied or 'none (already current)'}")

        results = client.insert_many(
            [
                SendEmail(to="ada@example.com", subject="Welcome"),
                (ResizeImage(path="cat.png", width=640), InsertOpts(queue="images", priority=2, tags=["thumbnails"])),
                (
                    SendEmail(to="bob@example.com", subject="Reminder"),
                    InsertOpts(scheduled_at=datetime.now(timezone.utc) + timedelta(hours=1)),
                ),
            ]
        )
        unique = InsertOpts(unique_opts=UniqueOpts(by_args=True, by_period=timedelta(hours=1)))
        first = client.insert(SendEmail(to="ada@example.com", subject="Digest"), unique)
        again = client.insert(SendEmail(to="ada@example.com", subject="Digest"), unique)
        results += [first, again]

        print(f"{'id':>3}  {'kind':<13} {'queue':<8} {'state':<10} {'prio':>4}  args")
        for result in results:
            job = client.job_get(result.job.id)
            note = "  (duplicate: existing job returned)" if result.unique_skipped_as_duplicate else ""
            print(f"{job.id:>3}  {job.kind:<13} {job.queue:<8} {job.state.value:<10} {job.priority:>4}  {job.args}{note}")


if __name__ == "__main__":
    main()
