"""Working jobs in Python: handlers registered by kind, the job they receive,
and the exceptions that give River's outcomes (snooze, cancel)."""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, overload

from .errors import InvalidArgumentError, InvalidArgumentTypeError
from .types import AttemptError, JobRow, JobState

ArgsT = TypeVar("ArgsT")
FieldT = TypeVar("FieldT")
ResultT = TypeVar("ResultT")


@dataclass
class QueueConfig:
    """River's ``QueueConfig``: how many jobs of a queue this client works at
    once. Each slot is a Python thread."""

    max_workers: int = 100
    """How many jobs of the queue this client works at once (each a thread for sync handlers)."""


class JobSnooze(Exception):
    """Raise from a handler to run the job again after ``duration``, as
    River's ``JobSnooze``: the attempt does not count as a failure."""

    def __init__(self, duration: timedelta | float) -> None:
        seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
        super().__init__(f"snoozed for {seconds}s")
        self.seconds = seconds


class JobCancel(Exception):
    """Raise from a handler to cancel the job for good, as River's
    ``JobCancel``: it is not retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _RowField(Generic[FieldT]):
    """A field of the job's row, readable on the job itself as on Go's
    ``river.Job[T]``, which embeds ``*rivertype.JobRow``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, job: Job[Any] | None, owner: type | None = None) -> FieldT:
        if job is None:
            raise AttributeError(self._name)
        value: FieldT = getattr(job.row, self._name)
        return value


_CANCELLED_EVENT_LOCK = threading.Lock()


@dataclass
class Job(Generic[ArgsT]):
    """The job a handler works, River's ``Job[T]``: the row, its args decoded
    as ``ArgsT``, and whether River has cancelled this attempt.

    ``args`` is an instance of the registered args class, or a dict when the
    handler was registered by kind name. The row's fields are readable on the
    job too (``job.id``, ``job.attempt``, ``job.metadata``...).
    """

    row: JobRow
    """The job as River stored it when this attempt started."""
    args: ArgsT
    """The args, decoded into the registered args class (a dict for a
    handler registered by kind name)."""
    deadline: datetime | None
    """When this attempt times out (the job's or the client's timeout), or
    None without a timeout."""
    # Made on first use (a cancellation, or a handler waiting for one): a
    # threading.Event costs more to build than the rest of a Job together.
    _cancelled: threading.Event | None = field(default=None, init=False, repr=False)
    _cancel_reason: str = field(default="", init=False, repr=False)

    id: ClassVar[_RowField[int]] = _RowField()
    attempt: ClassVar[_RowField[int]] = _RowField()
    attempted_at: ClassVar[_RowField[datetime | None]] = _RowField()
    attempted_by: ClassVar[_RowField[list[str]]] = _RowField()
    created_at: ClassVar[_RowField[datetime]] = _RowField()
    encoded_args: ClassVar[_RowField[bytes]] = _RowField()
    errors: ClassVar[_RowField[list[AttemptError]]] = _RowField()
    finalized_at: ClassVar[_RowField[datetime | None]] = _RowField()
    kind: ClassVar[_RowField[str]] = _RowField()
    max_attempts: ClassVar[_RowField[int]] = _RowField()
    metadata: ClassVar[_RowField[bytes]] = _RowField()
    priority: ClassVar[_RowField[int]] = _RowField()
    queue: ClassVar[_RowField[str]] = _RowField()
    scheduled_at: ClassVar[_RowField[datetime]] = _RowField()
    state: ClassVar[_RowField[JobState]] = _RowField()
    tags: ClassVar[_RowField[list[str]]] = _RowField()
    unique_key: ClassVar[_RowField[bytes | None]] = _RowField()
    unique_states: ClassVar[_RowField[list[JobState]]] = _RowField()

    @property
    def cancelled(self) -> bool:
        """True once River cancelled this attempt (its timeout passed, the job
        was cancelled from a client, or the client is hard-stopping). A long
        handler should check it and return; its outcome is then ignored and
        the attempt is recorded as an error (or, on stop, the job goes back to
        the queue)."""
        return self._cancelled is not None and self._cancelled.is_set()

    @property
    def cancel_reason(self) -> str:
        """Why River cancelled this attempt (empty until it is cancelled)."""
        return self._cancel_reason

    def wait_cancelled(self, timeout: float | None = None) -> bool:
        """Sleep up to ``timeout`` seconds, waking early if cancelled; return
        whether it was cancelled. Use instead of ``time.sleep`` in handlers."""
        return self._cancelled_event().wait(timeout)

    @classmethod
    def _with_row_on_first_read(
        cls, make_row: Callable[[], JobRow], args: ArgsT, deadline: datetime | None
    ) -> Job[ArgsT]:
        """A job whose row is made when first read: most handlers read only
        the args, and a row is half of Python's work for a job the runner
        hands over. A row that cannot be made (a time beyond ``datetime``'s
        range) raises where it is read."""
        job: Job[ArgsT] = object.__new__(cls)
        vars(job).update(args=args, deadline=deadline, _cancelled=None, _cancel_reason="", _make_row=make_row)
        return job

    if not TYPE_CHECKING:  # to a type checker, Job has no attributes it does not declare

        def __getattr__(self, name: str) -> Any:
            # Reached only for attributes the instance lacks: the row of a
            # job made by _with_row_on_first_read, until it is made.
            make_row = vars(self).get("_make_row")
            if name != "row" or make_row is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            row = make_row()
            vars(self)["row"] = row
            del vars(self)["_make_row"]
            return row

    def _cancel(self, reason: str) -> None:
        self._cancel_reason = reason
        self._cancelled_event().set()

    def _cancelled_event(self) -> threading.Event:
        # The runner's dispatcher cancels while the handler's thread may be
        # starting to wait: both must get the same Event.
        if self._cancelled is None:
            with _CANCELLED_EVENT_LOCK:
                if self._cancelled is None:
                    self._cancelled = threading.Event()
        return self._cancelled


class WorkerMiddleware(Protocol):
    """River's ``rivertype.WorkerMiddleware``: wraps working a job. Call
    ``do_inner()`` to run the rest of the chain and the handler; an exception
    fails the attempt like a handler error."""

    def work(self, job: Job[Any], do_inner: Callable[[], Any]) -> Any:
        """Run around one attempt; return what ``do_inner()`` returned (the
        handler's output)."""
        ...


Handler = Callable[[Job[Any]], object]
"""A job handler: a function (or ``async def``) of the job; its return value,
if not None, is recorded as the job's output."""


@dataclass(frozen=True)
class Registration:
    """A handler registered for a kind, with its own settings."""

    kind: str
    handler: Handler
    args_type: type | None
    timeout: float | None
    next_retry: Callable[[Job[Any]], datetime] | None
    middleware: tuple[WorkerMiddleware, ...]

    def decode_args(self, args: Any) -> Any:
        """The args (decoded JSON) as the handler takes them: the registered
        class (fields it does not declare are dropped) or the JSON itself."""
        if self.args_type is None:
            return args
        if not isinstance(args, dict):
            raise TypeError(f"args of kind {self.kind!r} must be a JSON object to build {self.args_type.__name__}")
        if (names := self._field_names) is not None:
            return self.args_type(**{key: value for key, value in args.items() if key in names})
        return self.args_type(**args)

    @functools.cached_property
    def _field_names(self) -> frozenset[str] | None:
        """The init fields of a dataclass args type (None for another
        type), looked up once rather than for every job."""
        if self.args_type is None or not dataclasses.is_dataclass(self.args_type):
            return None
        return frozenset(f.name for f in dataclasses.fields(self.args_type) if f.init)


class Workers:
    """Handlers by kind, River's ``Workers`` bundle for Python.

    ::

        workers = pyriver.Workers()

        @workers.handler(SendEmail)
        def send_email(job: pyriver.Job[SendEmail]) -> None:
            deliver(job.args.to)

    A handler may be ``async def``; it then runs on the client's event loop.
    Its return value, if not None, is recorded as the job's output.
    """

    def __init__(self) -> None:
        self._registrations: dict[str, Registration] = {}

    @overload
    def add(
        self,
        kind: str,
        handler: Callable[[Job[dict[str, Any]]], object],
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[dict[str, Any]]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> None: ...

    @overload
    def add(
        self,
        kind: type[ArgsT],
        handler: Callable[[Job[ArgsT]], object],
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[ArgsT]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> None: ...

    def add(
        self,
        kind: str | type[Any],
        handler: Callable[[Job[Any]], object],
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[Any]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> None:
        """Register ``handler`` for ``kind``: a kind name (args arrive as a
        dict) or an args class with a ``kind`` attribute (args arrive as an
        instance, and type checkers hold the handler to ``Job[ThatClass]``).
        ``timeout`` overrides the client's job timeout; ``next_retry(job)``
        overrides its retry policy."""
        if isinstance(kind, str):
            kind_name, args_type = kind, None
        elif isinstance(kind, type) and isinstance(getattr(kind, "kind", None), str):
            kind_name, args_type = getattr(kind, "kind"), kind
        else:
            raise InvalidArgumentTypeError("kind must be a kind name or an args class with a str 'kind'", "kind")
        if not callable(handler):
            raise InvalidArgumentTypeError(f"handler for {kind_name!r} must be callable", "handler")
        if kind_name in self._registrations:
            raise InvalidArgumentError(f"a handler for kind {kind_name!r} is already registered", "kind")
        timeout_seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
        self._registrations[kind_name] = Registration(
            kind_name, handler, args_type, timeout_seconds, next_retry, tuple(middleware)
        )

    @overload
    def handler(
        self,
        kind: str,
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[dict[str, Any]]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> Callable[[Callable[[Job[dict[str, Any]]], ResultT]], Callable[[Job[dict[str, Any]]], ResultT]]: ...

    @overload
    def handler(
        self,
        kind: type[ArgsT],
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[ArgsT]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> Callable[[Callable[[Job[ArgsT]], ResultT]], Callable[[Job[ArgsT]], ResultT]]: ...

    def handler(
        self,
        kind: str | type[Any],
        *,
        timeout: timedelta | float | None = None,
        next_retry: Callable[[Job[Any]], datetime] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
    ) -> Callable[[Callable[[Job[Any]], ResultT]], Callable[[Job[Any]], ResultT]]:
        """Decorator form of :meth:`add`."""

        def register(handler: Callable[[Job[Any]], ResultT]) -> Callable[[Job[Any]], ResultT]:
            self.add(kind, handler, timeout=timeout, next_retry=next_retry, middleware=middleware)
            return handler

        return register

    def registrations(self) -> dict[str, Registration]:
        """The handlers registered so far, by kind (a copy)."""
        return dict(self._registrations)
