"""Waiting for SIGINT/SIGTERM in Client.run().

Python only runs signal handlers in the main thread between bytecodes, so the
wait is a loop of short waits rather than one long block; Go never sees these
signals (it leaves SIGINT/SIGTERM to Python in c-shared mode and pyriver
never calls signal.Notify).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def wait_for_stop_signal() -> None:
    """Block until SIGINT or SIGTERM arrives (or KeyboardInterrupt is raised,
    outside the main thread where handlers cannot be installed)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        try:
            while not stop.wait(0.2):
                pass
        except KeyboardInterrupt:
            return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    try:
        while not stop.wait(0.2):
            pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
