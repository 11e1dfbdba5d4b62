"""Runs Python handlers for the jobs River hands over.

River (in Go) fetches jobs, enforces timeouts, retries and completes them.
Here one dispatcher thread pulls work with ``worker.next`` (the GIL released
while it waits): every job River has started for Python, up to the number of
worker slots (River never runs more than that), and the cancellation notices
for running jobs, in one call. Slot threads take the
jobs from a queue, run the handler through the middleware chain, and report
the outcome with ``worker.complete``, several outcomes per call under load
(``_reporting``). An idle runner makes one call a second whatever its number
of slots. ``async def`` handlers run on one event loop thread owned by the
runner: without worker middleware (which is synchronous) their jobs start as
tasks, and the outcomes of the tasks that end in one loop iteration are
reported together; with middleware a slot thread drives the chain and waits
for the coroutine. When every handler runs on the loop, the loop pulls for
itself: it watches a pipe that Go writes to when work is waiting
(``worker.signal``) and takes what is ready with a pull that does not wait,
so no dispatcher or slot thread exists, and jobs reach their tasks with no
hand-off between threads. An idle runner of that kind makes no calls at all.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import os
import queue
import threading
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, cast

from ._bridge import calls
from ._chain import run_chain
from ._bridge.targets import ClientHandle
from ._reporting import Completion, OutcomeReporter
from .errors import PyRiverError
from .workers import Job, JobCancel, JobSnooze, Registration, WorkerMiddleware

# How long one pull waits in Go (its cap). Go ends a pull as soon as a job or
# a cancellation notice arrives, or the client stops, so this only bounds an
# idle runner's call rate.
POLL_SECONDS = 1.0


class Runner:
    def __init__(
        self,
        client: ClientHandle,
        registrations: dict[str, Registration],
        middleware: tuple[WorkerMiddleware, ...],
        slots: int,
    ) -> None:
        self._client = client
        self._registrations = registrations
        self._middleware = middleware
        self._slots = slots
        self._jobs: queue.SimpleQueue[calls.Handoff | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, tuple[Job[Any], concurrent.futures.Future[Any] | asyncio.Task[Any] | None]] = {}
        self._running_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: threading.Thread | None = None
        # Kinds whose jobs go straight to the event loop as tasks: coroutine
        # handlers that no middleware wraps (worker middleware is synchronous).
        self._loop_kinds = frozenset(
            kind
            for kind, registration in registrations.items()
            if not middleware and not registration.middleware and inspect.iscoroutinefunction(registration.handler)
        )
        self._reporter = OutcomeReporter(client, _error_outcome)
        # Outcomes of tasks that ended in the loop's current iteration.
        self._loop_outcomes: list[Completion] = []
        # The descriptor Go signals work on, while the loop pulls for itself.
        self._signal: int | None = None

    # --- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        if any(inspect.iscoroutinefunction(r.handler) for r in self._registrations.values()):
            self._loop = asyncio.new_event_loop()
            self._loop_thread = self._spawn("pyriver-asyncio", self._run_loop)
        if self._loop is not None and self._loop_kinds == self._registrations.keys():
            self._signal = calls.worker_signal(self._client)
            self._loop.call_soon_threadsafe(self._loop.add_reader, self._signal, self._pull_on_loop)
            return
        for slot in range(self._slots):
            self._spawn(f"pyriver-worker-{slot}", self._run_jobs)
        self._spawn("pyriver-dispatcher", self._dispatch)

    def _run_loop(self) -> None:
        assert self._loop is not None
        self._loop.run_forever()
        # Closing releases the loop's descriptors; a loop still holding a
        # task (a handler that ignored its cancellation) is left as it is.
        if not asyncio.all_tasks(self._loop):
            self._loop.close()

    def _spawn(self, name: str, target: Callable[[], Any]) -> threading.Thread:
        # Daemon threads: a handler that ignores cancellation must not keep
        # the process alive after the client stopped.
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def owns_current_thread(self) -> bool:
        """Whether the caller is one of this runner's threads (a handler)."""
        return threading.current_thread() in self._threads

    def stop(self, join_timeout: float) -> None:
        """Stop pulling work. River has already stopped by now; threads still
        inside a handler after ``join_timeout`` (for all threads together)
        are left to finish on their own."""
        self._stopping.set()
        for _ in range(self._slots):
            self._jobs.put(None)
        deadline = time.monotonic() + join_timeout
        # Slots first: one inside an async handler of a middleware-wrapped
        # kind needs the loop running until its task ends.
        for thread in self._threads:
            if thread is not self._loop_thread:
                _join_unless_current(thread, deadline)
        if self._loop is not None and self._loop_thread is not None:
            self._loop.call_soon_threadsafe(self._stop_pulling_on_loop)
            self._loop.call_soon_threadsafe(self._loop.stop)
            # Joined too, so that the loop's descriptors are closed when
            # stop returns, not some time after.
            _join_unless_current(self._loop_thread, deadline)

    # --- pulling -----------------------------------------------------------

    def _dispatch(self) -> None:
        while not self._stopping.is_set():
            try:
                handoffs, cancellations = calls.worker_next(self._client, self._slots, POLL_SECONDS)
            except PyRiverError:
                return  # the client was closed
            for notice in cancellations:
                self._cancel(notice)
            on_loop = []
            for handoff in handoffs:
                if self._runs_on_loop(handoff):
                    on_loop.append(handoff)
                else:
                    self._jobs.put(handoff)
            if on_loop:
                assert self._loop is not None
                self._loop.call_soon_threadsafe(self._start_tasks, on_loop)

    def _pull_on_loop(self) -> None:
        """The loop's reader of the signal: start what is ready as tasks."""
        assert self._signal is not None
        try:
            # End of file: Go closed its end of the pipe, with the client.
            work = calls.worker_next(self._client, self._slots, 0) if os.read(self._signal, 4096) else None
        except (PyRiverError, OSError):  # the client was closed meanwhile
            work = None
        if work is None:
            self._stop_pulling_on_loop()
            return
        handoffs, cancellations = work
        for notice in cancellations:
            self._cancel(notice)
        if handoffs:
            self._start_tasks(handoffs)

    def _stop_pulling_on_loop(self) -> None:
        if self._signal is not None:
            assert self._loop is not None
            self._loop.remove_reader(self._signal)
            os.close(self._signal)
            self._signal = None

    def _runs_on_loop(self, handoff: calls.Handoff) -> bool:
        return handoff.decode_error is None and handoff.kind in self._loop_kinds

    def _cancel(self, notice: calls.Cancellation) -> None:
        with self._running_lock:
            running = self._running.get(notice.token)
        if running is not None:
            job, future = running
            job._cancel(notice.reason)
            if isinstance(future, asyncio.Task):
                assert self._loop is not None
                self._loop.call_soon_threadsafe(future.cancel)
            elif future is not None:
                future.cancel()

    def _run_jobs(self) -> None:
        """A slot: whatever a job's handler does, the slot reports an outcome
        and takes the next job; only the client's end stops it."""
        while (handoff := self._jobs.get()) is not None:
            if not self._report(handoff, self._outcome_of(handoff)):
                return

    def _report(self, handoff: calls.Handoff, outcome: dict[str, Any]) -> bool:
        """Tell River the outcome; False once the client is closed."""
        return self._reporter.report([(handoff.token, outcome)])

    # --- async handlers on the loop -------------------------------------------

    def _start_tasks(self, handoffs: list[calls.Handoff]) -> None:
        assert self._loop is not None
        for handoff in handoffs:
            self._loop.create_task(self._run_task(handoff))

    async def _run_task(self, handoff: calls.Handoff) -> None:
        try:
            outcome = await self._work_async(handoff)
        except BaseException as exc:  # as for a slot: no job ends without an outcome
            outcome = _error_outcome(exc)
        self._loop_outcomes.append((handoff.token, outcome))
        if len(self._loop_outcomes) == 1:
            assert self._loop is not None
            self._loop.call_soon(self._report_loop_outcomes)

    def _report_loop_outcomes(self) -> None:
        outcomes, self._loop_outcomes = self._loop_outcomes, []
        self._reporter.report(outcomes)

    async def _work_async(self, handoff: calls.Handoff) -> dict[str, Any]:
        prepared = self._prepare(handoff)
        if isinstance(prepared, dict):
            return prepared
        job, registration = prepared
        task = asyncio.current_task()
        with self._running_lock:
            self._running[handoff.token] = (job, task)
        if job.cancelled and task is not None:
            task.cancel()
        try:
            # An async def handler (checked before it is handed to the loop).
            result = await cast(Awaitable[Any], registration.handler(job))
        except BaseException as exc:
            return _failure_outcome(exc, job, registration)
        finally:
            with self._running_lock:
                self._running.pop(handoff.token, None)
        return _completed_outcome(result)

    def _outcome_of(self, handoff: calls.Handoff) -> dict[str, Any]:
        try:
            return self._work(handoff)
        except BaseException as exc:  # KeyboardInterrupt, SystemExit, a failing next_retry...
            return _error_outcome(exc)

    # --- working -----------------------------------------------------------

    def _prepare(self, handoff: calls.Handoff) -> tuple[Job[Any], Registration] | dict[str, Any]:
        """The job and its registration, or the outcome of a job that cannot
        be built (args or a deadline that failed to decode, args that do not
        fit the registered class)."""
        if handoff.decode_error is not None:
            return _error_outcome(handoff.decode_error)
        registration = self._registrations[handoff.kind]
        try:
            args = registration.decode_args(handoff.args)
            return Job._with_row_on_first_read(handoff.row, args, handoff.deadline), registration
        except Exception as exc:  # args that do not fit the registered class
            return _error_outcome(exc)

    def _work(self, handoff: calls.Handoff) -> dict[str, Any]:
        prepared = self._prepare(handoff)
        if isinstance(prepared, dict):
            return prepared
        job, registration = prepared
        token = handoff.token
        with self._running_lock:
            self._running[token] = (job, None)
        try:
            result = self._through_middleware(job, registration, token)
        except BaseException as exc:
            return _failure_outcome(exc, job, registration)
        finally:
            with self._running_lock:
                self._running.pop(token, None)
        return _completed_outcome(result)

    def _through_middleware(self, job: Job[Any], registration: Registration, token: int) -> Any:
        return run_chain(
            (*self._middleware, *registration.middleware),
            lambda middleware, do_inner: middleware.work(job, do_inner),
            lambda: self._call_handler(job, registration, token),
        )

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


def _join_unless_current(thread: threading.Thread, deadline: float) -> None:
    """Wait for a thread until the deadline; a handler stopping its own
    client is on one of these threads and cannot wait for itself."""
    if thread is not threading.current_thread():
        thread.join(max(0.0, deadline - time.monotonic()))


def _failure_outcome(exc: BaseException, job: Job[Any], registration: Registration) -> dict[str, Any]:
    """The outcome of a handler that raised: River's snooze and cancel, or a
    failed attempt (with the worker's next_retry for an ordinary error; a
    BaseException such as KeyboardInterrupt fails the attempt as it is)."""
    if isinstance(exc, JobSnooze):
        return calls.snoozed(exc.seconds)
    if isinstance(exc, JobCancel):
        return calls.cancelled(exc.reason)
    if isinstance(exc, (Exception, asyncio.CancelledError, concurrent.futures.CancelledError)):
        next_retry = registration.next_retry(job) if registration.next_retry is not None else None
        return _error_outcome(exc, next_retry)
    return _error_outcome(exc)


def _completed_outcome(result: Any) -> dict[str, Any]:
    try:
        return calls.completed(result)
    except (TypeError, ValueError) as exc:
        return _error_outcome(TypeError(f"handler output cannot be encoded as JSON: {exc}"))


def _error_outcome(exc: BaseException, next_retry: Any = None) -> dict[str, Any]:
    try:
        text = str(exc)
    except BaseException:  # an exception whose __str__ raises still fails its job, readably
        text = "<str() of the exception failed>"
    message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    trace = "".join(traceback.format_exception(exc))
    return calls.failed(message, trace, next_retry)
