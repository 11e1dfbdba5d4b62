"""What type checkers make of code using pyriver: mistakes a user can make
are errors under mypy and pyright, and correct code is clean under both."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PRELUDE = """\
from __future__ import annotations
import dataclasses
from typing import Any
import pyriver

@dataclasses.dataclass
class SendEmail:
    kind = "send_email"
    to: str

@dataclasses.dataclass
class Other:
    kind = "other"
    n: int

class Encoded:
    kind = "encoded"
    def to_json(self) -> str:
        return "{}"

workers = pyriver.Workers()
client = pyriver.Client("sqlite://typing.db")
"""

CORRECT = """\
@workers.handler(SendEmail)
def send(job: pyriver.Job[SendEmail]) -> None:
    address: str = job.args.to
    attempt: int = job.attempt
    state: pyriver.JobState = job.state

@workers.handler("by_name")
async def by_name(job: pyriver.Job[dict[str, Any]]) -> str:
    return str(job.args["x"]) + job.kind

workers.add(Other, lambda job: job.args.n)
result: pyriver.JobInsertResult = client.insert(SendEmail("a"))
client.insert(Encoded(), insert_opts=pyriver.InsertOpts(queue="mail"))
client.insert_many([SendEmail("a"), (Other(1), pyriver.InsertOpts(priority=2)), pyriver.InsertManyParams(Encoded())])

async def asynchronous(aclient: pyriver.AsyncClient) -> int:
    inserted = await aclient.insert(SendEmail("b"))
    return inserted.job.id
"""

MISTAKES = {
    "misspelt job field": "def h(job: pyriver.Job[SendEmail]) -> None:\n    job.atempt\n",
    "misspelt args field": "def h(job: pyriver.Job[SendEmail]) -> None:\n    job.args.too\n",
    "handler for another args class": ("def h(job: pyriver.Job[Other]) -> None: ...\nworkers.add(SendEmail, h)\n"),
    "decorated handler for another args class": (
        "@workers.handler(SendEmail)\ndef h(job: pyriver.Job[Other]) -> None: ...\n"
    ),
    "insert of a plain object": "client.insert(object())\n",
    "insert of a dict": 'client.insert({"to": "a"})\n',
    "async insert result used unawaited": (
        "async def f(aclient: pyriver.AsyncClient) -> int:\n    return aclient.insert(SendEmail('a')).job.id\n"
    ),
    "async insert with a wrong keyword": (
        "async def f(aclient: pyriver.AsyncClient) -> None:\n    await aclient.insert(SendEmail('a'), opt=None)\n"
    ),
}


def run_checker(checker: str, source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "user_code.py"
    path.write_text(source)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    if checker == "mypy":
        command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file=", str(path)]
    else:
        command = [str(bin_dir / "pyright"), str(path)]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_correct_code_is_clean(checker: str, tmp_path: Path) -> None:
    result = run_checker(checker, PRELUDE + textwrap.dedent(CORRECT), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_mistakes_are_type_errors(checker: str, mistake: str, tmp_path: Path) -> None:
    result = run_checker(checker, PRELUDE + MISTAKES[mistake], tmp_path)
    assert result.returncode != 0, f"{checker} accepted: {mistake}\n{result.stdout}"
    line_of_mistake = PRELUDE.count("\n") + 1
    assert f"user_code.py:{line_of_mistake}" in result.stdout or f"user_code.py:{line_of_mistake + 1}" in result.stdout
