"""Runs Python handlers for the jobs River hands over.

River (in Go) fetches jobs, enforces timeouts, retries and completes them.
Here, runner threads pull jobs with ``worker.next`` (the GIL is released
while they wait), run the handler through the middleware chain, and report
the outcome with ``worker.complete``. One watcher thread pulls cancellation
notices and flags the affected jobs. ``async def`` handlers run on one event
loop thread owned by the runner.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from . import _native
from ._wire import datetime_from_wire, datetime_to_wire, job_row_from_wire
from .errors import PyRiverError
from .workers import Job, JobCancel, JobSnooze, Registration, WorkerMiddleware

# How long one pull call waits in Go. Short, so that stop requests are seen
# promptly; a pull costs one C call, so idle threads cost nothing noticeable.
POLL_SECONDS = 0.25


class Runner:
    def __init__(
        self,
        client_handle: int,
        registrations: dict[str, Registration],
        middleware: tuple[WorkerMiddleware, ...],
        slots: int,
    ) -> None:
        self._client_handle = client_handle
        self._registrations = registrations
        self._middleware = middleware
        self._slots = slots
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, tuple[Job[Any], concurrent.futures.Future[Any] | None]] = {}
        self._running_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        if any(inspect.iscoroutinefunction(r.handler) for r in self._registrations.values()):
            self._loop = asyncio.new_event_loop()
            self._spawn("pyriver-asyncio", self._loop.run_forever)
        for slot in range(self._slots):
            self._spawn(f"pyriver-worker-{slot}", self._run_jobs)
        self._spawn("pyriver-cancellations", self._watch_cancellations)

    def _spawn(self, name: str, target: Callable[[], Any]) -> None:
        # Daemon threads: a handler that ignores cancellation must not keep
        # the process alive after the client stopped.
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, join_timeout: float) -> None:
        """Stop pulling work. River has already stopped by now; threads still
        inside a handler after ``join_timeout`` (for all threads together)
        are left to finish on their own."""
        self._stopping.set()
        deadline = time.monotonic() + join_timeout
        for thread in self._threads:
            if thread.name != "pyriver-asyncio":
                thread.join(max(0.0, deadline - time.monotonic()))
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    # --- pulling -----------------------------------------------------------

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        request["client"] = self._client_handle
        return _native.call(method, request)

    def _run_jobs(self) -> None:
        while not self._stopping.is_set():
            try:
                handoff = self._call("worker.next", {"timeout": POLL_SECONDS})
            except PyRiverError:
                return  # the client was closed
            if handoff is not None:
                outcome = self._work(handoff)
                try:
                    self._call("worker.complete", {"token": handoff["token"], "outcome": outcome})
                except PyRiverError:
                    return

    def _watch_cancellations(self) -> None:
        while not self._stopping.is_set():
            try:
                notices = self._call("worker.cancellations", {"timeout": POLL_SECONDS})
            except PyRiverError:
                return
            for notice in notices or []:
                with self._running_lock:
                    running = self._running.get(notice["token"])
                if running is not None:
                    job, future = running
                    job._cancel(notice["reason"])
                    if future is not None:
                        future.cancel()

    # --- working -----------------------------------------------------------

    def _work(self, handoff: dict[str, Any]) -> dict[str, Any]:
        token = handoff["token"]
        row = job_row_from_wire(handoff["job"])
        registration = self._registrations[row.kind]
        deadline = handoff.get("deadline")
        try:
            job: Job[Any] = Job(row, registration.decode_args(row), datetime_from_wire(deadline) if deadline else None)
        except Exception as exc:  # args that do not fit the registered class
            return _error_outcome(exc)
        with self._running_lock:
            self._running[token] = (job, None)
        try:
            result = self._through_middleware(job, registration, token)
        except JobSnooze as snooze:
            return {"kind": "snooze", "snooze_seconds": snooze.seconds}
        except JobCancel as cancel:
            return {"kind": "cancel", "message": cancel.reason}
        except (Exception, asyncio.CancelledError, concurrent.futures.CancelledError) as exc:
            failure = _error_outcome(exc)
            if registration.next_retry is not None:
                failure["next_retry"] = datetime_to_wire(registration.next_retry(job), "next_retry")
            return failure
        finally:
            with self._running_lock:
                self._running.pop(token, None)
        outcome: dict[str, Any] = {"kind": "completed"}
        if result is not None:
            try:
                outcome["output"] = json.loads(json.dumps(result, allow_nan=False))
            except (TypeError, ValueError) as exc:
                return _error_outcome(TypeError(f"handler output cannot be encoded as JSON: {exc}"))
        return outcome

    def _through_middleware(self, job: Job[Any], registration: Registration, token: int) -> Any:
        chain = (*self._middleware, *registration.middleware)

        def call(position: int) -> Any:
            if position == len(chain):
                return self._call_handler(job, registration, token)
            return chain[position].work(job, lambda: call(position + 1))

        return call(0)

    def _call_handler(self, job: Job[Any], registration: Registration, token: int) -> Any:
        if self._loop is None or not inspect.iscoroutinefunction(registration.handler):
            return registration.handler(job)
        # Registering the future lets a cancellation notice cancel the task.
        future = asyncio.run_coroutine_threadsafe(registration.handler(job), self._loop)
        with self._running_lock:
            self._running[token] = (job, future)
        if job.cancelled:
            future.cancel()
        return future.result()


def _error_outcome(exc: BaseException) -> dict[str, Any]:
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    trace = "".join(traceback.format_exception(exc))
    return {"kind": "error", "message": message, "trace": trace}
