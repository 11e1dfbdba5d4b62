"""Python mirrors of the args of the Go worker program's kinds
(go/cmd/pyriver-worker/workers.go): insert these from Python and the Go half
of a mixed deployment works them."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass
class Echo:
    """EchoWorker records the args as Go decoded them in the job's output."""

    kind = "echo"
    nested: dict[str, Any]
    text: str
    big_int: int
    big_uint: int
    float: float
    empty_list: list[str]
    null: None = None


@dataclasses.dataclass
class Flaky:
    """FlakyWorker fails the first fail_times attempts with message."""

    kind = "flaky"
    fail_times: int
    message: str


@dataclasses.dataclass
class Tally:
    """TallyWorker records n, its process id and when it started."""

    kind = "tally"
    n: int
