"""The job args every benchmark inserts: the same kind and JSON ({"n": int})
from pyriver, riverqueue-python and Go (BenchArgs in go/cmd/pyriver-bench)."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class Bench:
    n: int
    kind: str = "bench"

    def to_json(self) -> str:
        return json.dumps({"n": self.n})
