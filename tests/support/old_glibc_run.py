"""Run old_glibc_smoke.py in a Debian bullseye root (glibc 2.31) on the x86_64
wheel's library, on SQLite and on a PostgreSQL server on the host's loopback.
Run by `make test-old-glibc`.

Usage: python old_glibc_run.py ROOT WHEEL
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from pgserver import PostgresServer

SMOKE = Path(__file__).with_name("old_glibc_smoke.py")
INSIDE = Path("/opt/pyriver-smoke")


def main() -> None:
    root, wheel = Path(sys.argv[1]), Path(sys.argv[2])
    staging = root / INSIDE.relative_to("/")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as archive:
        (staging / "_pyriver.so").write_bytes(archive.read("pyriver/_pyriver.so"))
    shutil.copy(SMOKE, staging)
    postgres = PostgresServer()
    postgres.start()
    try:
        glibc = subprocess.run(
            ["/usr/sbin/chroot", str(root), "/usr/bin/ldd", "--version"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
        )
        print(glibc.stdout.splitlines()[0])
        command = [str(INSIDE / SMOKE.name), str(INSIDE / "_pyriver.so"), str(INSIDE / "smoke.db"), postgres.url()]
        subprocess.run(
            ["/usr/sbin/chroot", str(root), "/usr/bin/python3", *command],
            check=True,
            timeout=300,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        )
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
