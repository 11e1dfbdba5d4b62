"""The Go library is loaded lazily and never used across fork().

Each test runs in a fresh interpreter so that whether the library is loaded
is decided by the test, not by whichever test ran before it in this process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_import_does_not_load_the_library() -> None:
    output = run_python(
        """
        import pyriver
        maps = open("/proc/self/maps").read()
        print(pyriver._bridge.transport.is_loaded(), "_pyriver.so" in maps)
        """
    )
    assert output == "False False"


def test_forked_child_of_a_loaded_parent_gets_a_clear_error() -> None:
    output = run_python(
        """
        import multiprocessing, pyriver

        def child(queue):
            try:
                pyriver.ping()
                queue.put("no error")
            except pyriver.ForkedProcessError as exc:
                queue.put("ForkedProcessError: " + str(exc))

        if __name__ == "__main__":
            pyriver.ping()
            context = multiprocessing.get_context("fork")
            queue = context.Queue()
            process = context.Process(target=child, args=(queue,))
            process.start()
            print(queue.get(timeout=60))
            process.join(60)
            print("exitcode", process.exitcode)
        """
    )
    first, second = output.splitlines()
    assert first.startswith("ForkedProcessError:") and "after forking" in first
    assert second == "exitcode 0"


def test_child_that_first_uses_pyriver_after_fork_works(tmp_path) -> None:  # type: ignore[no-untyped-def]
    output = run_python(
        f"""
        import dataclasses, multiprocessing, pyriver

        @dataclasses.dataclass
        class Ping:
            kind = "ping"
            n: int

        def child(queue):
            with pyriver.Client("sqlite:///{tmp_path}/fork.db") as client:
                client.migrate()
                queue.put(client.insert(Ping(7)).job.args["n"])

        if __name__ == "__main__":
            assert not pyriver._bridge.transport.is_loaded()
            context = multiprocessing.get_context("fork")
            queue = context.Queue()
            process = context.Process(target=child, args=(queue,))
            process.start()
            print(queue.get(timeout=60))
            process.join(60)
            print("exitcode", process.exitcode)
        """
    )
    assert output.splitlines() == ["7", "exitcode 0"]
