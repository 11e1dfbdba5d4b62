"""The aarch64 wheel, run: in an arm64 Debian root (debootstrap, with
qemu-user-static running its programs), Debian's arm64 python3 makes a
venv, installs the wheel and its dependencies (cffi, orjson) from the
wheelhouse, and runs the smoke test on SQLite and on
a PostgreSQL server started on the host's loopback. Run by `make test-arm64`.

Usage: python arm64_smoke.py ROOT WHEELHOUSE WHEEL
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pgserver import PostgresServer

SMOKE = Path(__file__).with_name("smoke_wheel.py")
INSIDE = Path("/opt/pyriver-smoke")  # in the root


def in_root(root: Path, *command: str) -> None:
    """Run an arm64 program in the root, with a clean environment (the
    host's pip settings must not leak in)."""
    subprocess.run(
        ["/usr/sbin/chroot", str(root), *command],
        env={"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"},
        check=True,
        timeout=900,
    )


def main() -> None:
    root, wheelhouse, wheel = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    staging = root / INSIDE.relative_to("/")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    dependencies = [*wheelhouse.glob("cffi-*aarch64*.whl"), *wheelhouse.glob("orjson-*aarch64*.whl")]
    for package in [wheel, SMOKE, *dependencies, *wheelhouse.glob("pycparser-*.whl")]:
        shutil.copy(package, staging)
    in_root(root, "/usr/bin/python3", "-m", "venv", str(INSIDE / "venv"))
    pip = str(INSIDE / "venv" / "bin" / "pip")
    in_root(root, pip, "install", "--quiet", "--no-index", "--find-links", str(INSIDE), str(INSIDE / wheel.name))
    postgres = PostgresServer()
    postgres.start()
    try:
        python = str(INSIDE / "venv" / "bin" / "python")
        in_root(root, python, str(INSIDE / SMOKE.name), "--postgres-url", postgres.url())
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
