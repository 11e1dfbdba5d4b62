"""Outcomes on their way back to River, several per call.

Every slot thread (and the event loop, once per iteration) hands its
outcomes here. Whichever thread finds no report in progress sends what is
pending, then anything that arrived meanwhile, until nothing is left; the
others return at once to their next job. Under load one call carries many
outcomes; an idle runner's single outcome still goes at once, with no timer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from ._bridge import calls
from ._bridge.targets import ClientHandle
from .errors import ClientClosedError, PyRiverError

Completion = tuple[int, dict[str, Any]]


class OutcomeReporter:
    def __init__(self, client: ClientHandle, failed_outcome: Callable[[BaseException], dict[str, Any]]) -> None:
        self._client = client
        self._failed_outcome = failed_outcome
        self._lock = threading.Lock()
        self._pending: list[Completion] = []
        self._reporting = False
        self._closed = False

    def report(self, completions: Sequence[Completion]) -> bool:
        """Queue outcomes and send them, unless another thread is sending;
        False once the client is closed (the caller's slot should end)."""
        with self._lock:
            self._pending.extend(completions)
            if self._reporting:
                return not self._closed
            self._reporting = True
        while True:
            with self._lock:
                batch, self._pending = self._pending, []
                if not batch:
                    self._reporting = False
                    return not self._closed
            self._send(batch)

    def _send(self, batch: list[Completion]) -> None:
        try:
            calls.worker_complete(self._client, batch)
        except ClientClosedError:
            self._closed = True
        except Exception:  # one outcome River cannot take: find it, and send the rest
            for completion in batch:
                self._send_alone(completion)

    def _send_alone(self, completion: Completion) -> None:
        token, outcome = completion
        try:
            calls.worker_complete(self._client, [completion])
        except ClientClosedError:
            self._closed = True
        except Exception as exc:  # the attempt fails, saying why
            try:
                calls.worker_complete(self._client, [(token, self._failed_outcome(exc))])
            except PyRiverError:
                self._closed = True
