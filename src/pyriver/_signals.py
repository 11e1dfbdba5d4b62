"""Catching SIGINT/SIGTERM for Client.run().

Python only runs signal handlers in the main thread between bytecodes, so
waiting is a loop of short waits rather than one long block. Go never sees
these signals: it leaves SIGINT/SIGTERM to Python in c-shared mode, and
pyriver never calls signal.Notify.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """Within the block, SIGINT and SIGTERM set the yielded event instead of
    interrupting or killing the process. Outside the main thread, where
    handlers cannot be installed, KeyboardInterrupt sets it instead (see
    wait)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def wait(stop: threading.Event) -> None:
    """Block until stop is set, in short waits so signals are handled."""
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        stop.set()
