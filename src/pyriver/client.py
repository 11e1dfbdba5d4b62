"""The synchronous client: one real River client in the Go runtime."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from itertools import chain
from typing import Any

from ._appconn import adapter_for
from ._bridge import calls
from ._bridge.inserts import insert_many_slices
from ._bridge.config import client_config_to_wire, periodic_jobs_to_wire
from ._bridge.targets import ClientHandle
from ._bridge.values import duration_to_seconds
from ._handle import OwnsHandle
from ._logs import LOGGER, ensure_pump, slog_level
from ._migrations import Migrations
from ._operations import INSERT_CHUNK_SIZE, InsertManyItem, Operations, T
from ._runner import Runner
from ._signals import stop_signals, wait
from .app_connection import AppConnection
from .errors import ClientClosedError, ClientStateError, InvalidArgumentError, InvalidArgumentTypeError
from .events import EventKind, Subscription
from .insert_middleware import InsertChain, InsertMiddleware
from .ui import RiverUI
from .options import AnyInsertOpts
from .periodic import PeriodicJob, PeriodicJobBundle
from .types import JobInsertResult
from .transaction import Transaction
from .workers import QueueConfig, WorkerMiddleware, Workers

# How long running handlers get to finish when the client stops, before River
# cancels them and returns their jobs to the queue.
DEFAULT_SOFT_STOP_TIMEOUT = 10.0

# How long one operation on the client (outside a transaction) may wait for
# the database before raising DatabaseError, so no call blocks forever.
DEFAULT_OPERATION_TIMEOUT = 60.0

# The first chunk of a larger insert_many (see Client._in_chunks): chunks
# double from here, so River starts inserting after 250 jobs are encoded:
# in A/Bs, +8% for batches of 1,000 and +2–4% for 10,000 against 1,000 here,
# and no loss for 400.
FIRST_QUEUED_CHUNK = 250


class Client(Operations, Migrations, OwnsHandle):
    """A River client on SQLite or PostgreSQL.

    ``url`` is ``sqlite://relative/path.db``, ``sqlite:///absolute/path.db``
    (read as River's CLI reads them) or ``postgres://user:pass@host:port/db``.
    The connection is checked when the client is created: an unreachable
    database raises :class:`~pyriver.DatabaseError` within a few seconds.

    One client may be shared by many threads; calls release the GIL while
    River works. Each operation on the client gives up with
    :class:`~pyriver.DatabaseError` after ``operation_timeout`` (default 60 s)
    rather than block forever. Use it as a context manager, or call
    :meth:`close`.

    Options (River's ``Config`` fields in snake_case; durations take a
    ``timedelta`` or seconds; ``None`` keeps River's default):

    - ``workers``: the Python handlers (:class:`~pyriver.Workers`); a client
      with workers can :meth:`start`, :meth:`run` and :meth:`subscribe`.
    - ``queues``: queue name → :class:`~pyriver.QueueConfig` to work
      (default ``{"default": QueueConfig()}`` when there are workers).
    - ``middleware``: worker middleware for every handler, outermost first.
    - ``insert_middleware``: Python insert middleware for every insert, each
      a :class:`~pyriver.JobInsertMiddleware` (River's shape) or an
      :class:`~pyriver.InsertWrapper` (such as :mod:`pyriver.otel`'s).
    - ``job_timeout``: how long an attempt may run (River: 1 minute; negative:
      none); a worker's own ``timeout`` overrides it.
    - ``rescue_stuck_jobs_after``: when a running job counts as stuck and is
      retried (River: 1 hour).
    - ``fetch_poll_interval``, ``fetch_cooldown``: how often River polls for
      jobs without a notification, and the least time between fetches (River:
      1 s and 100 ms). A queue works at most ``max_workers`` short jobs per
      cooldown: ``fetch_cooldown=0.01`` is the high-throughput profile (the
      README's "Throughput" says what it costs).
    - ``max_attempts``: attempts before a job is discarded (River: 25).
    - ``soft_stop_timeout``: how long :meth:`stop` lets running handlers finish.
    - ``operation_timeout``: the bound on each operation and on opening a
      transaction (default 60 s; 0: none).
    - ``busy_poll``: on PostgreSQL, how long a call waiting for the database
      stays awake, trying its socket again, before its thread sleeps (default
      0: it sleeps at once; at most 10 ms), like Linux's ``SO_BUSY_POLL``. On
      a virtual machine, where a sleeping CPU is slow to wake, 500 µs took
      a single insert 17–30% less time here, for 29–59% more CPU per insert
      (the README's "Latency"). No effect on SQLite.
    - ``fetch_only_known_kinds``: fetch only jobs of this client's kinds, so
      Python and Go workers can share queues (default True).
    - ``periodic_jobs``: :class:`~pyriver.PeriodicJob` schedules, enqueued by
      the elected leader.
    - ``id``: the client's id in River (default: host name and start time).
    """

    def __init__(
        self,
        url: str,
        *,
        workers: Workers | None = None,
        queues: Mapping[str, QueueConfig] | None = None,
        middleware: Sequence[WorkerMiddleware] = (),
        insert_middleware: Sequence[InsertMiddleware] = (),
        job_timeout: timedelta | float | None = None,
        rescue_stuck_jobs_after: timedelta | float | None = None,
        fetch_poll_interval: timedelta | float | None = None,
        fetch_cooldown: timedelta | float | None = None,
        max_attempts: int | None = None,
        soft_stop_timeout: timedelta | float = DEFAULT_SOFT_STOP_TIMEOUT,
        operation_timeout: timedelta | float = DEFAULT_OPERATION_TIMEOUT,
        busy_poll: timedelta | float = 0,
        fetch_only_known_kinds: bool = True,
        periodic_jobs: Sequence[PeriodicJob] = (),
        id: str | None = None,
    ) -> None:
        if not isinstance(url, str):
            raise InvalidArgumentTypeError(f"url must be a str, not {type(url).__name__}", "url")
        self._handle: ClientHandle | None = None
        self._runner: Runner | None = None
        self._registrations = workers.registrations() if workers is not None else {}
        if queues is None and self._registrations:
            queues = {"default": QueueConfig()}
        self._queues = dict(queues or {})
        self._middleware = tuple(middleware)
        self._insert_chain = InsertChain.of(insert_middleware)
        self._soft_stop_timeout = duration_to_seconds(soft_stop_timeout, "soft_stop_timeout")
        config = client_config_to_wire(
            registrations=self._registrations,
            queues=self._queues,
            job_timeout=job_timeout,
            rescue_stuck_jobs_after=rescue_stuck_jobs_after,
            fetch_poll_interval=fetch_poll_interval,
            fetch_cooldown=fetch_cooldown,
            max_attempts=max_attempts,
            fetch_only_known_kinds=fetch_only_known_kinds,
            operation_timeout=operation_timeout,
            busy_poll=busy_poll,
            id=id,
            log_level=slog_level(LOGGER.getEffectiveLevel()),
        )
        self._handle = calls.client_open(url, config, periodic_jobs_to_wire(periodic_jobs))
        self._url = url
        self.periodic_jobs: PeriodicJobBundle = PeriodicJobBundle(self._target)
        """The client's periodic jobs, changeable while it runs."""
        ensure_pump()

    @property
    def url(self) -> str:
        """The database URL the client was opened with."""
        return self._url

    def _target(self) -> ClientHandle:
        if self._handle is None:
            raise ClientClosedError("client is closed")
        return self._handle

    # --- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Stop working jobs (running ones are cancelled and go back to the
        queue), roll back open transactions and release the database
        connections. Idempotent. Call :meth:`stop` first for a graceful stop.
        Called from a handler, it returns at once and closes in the
        background (that handler's job is cancelled like any running job)."""
        if self._runner is not None and self._runner.owns_current_thread():
            threading.Thread(target=self.close, name="pyriver-close").start()
            return
        handle, self._handle = self._handle, None
        if handle is not None:
            calls.client_close(handle)
        if self._runner is not None:
            self._runner.stop(join_timeout=1)
            self._runner = None

    # --- working jobs ------------------------------------------------------

    def start(self) -> None:
        """Start working jobs in the background: River fetches from the
        configured queues and runs the registered handlers in threads."""
        if self._runner is not None:
            raise ClientStateError("client is already started")
        handle = self._target()
        calls.client_start(handle)
        slots = sum(queue.max_workers for queue in self._queues.values())
        self._runner = Runner(handle, self._registrations, self._middleware, slots)
        self._runner.start()

    def stop(self, timeout: timedelta | float | None = None) -> None:
        """Stop working jobs gracefully: fetching stops at once; running
        handlers get ``timeout`` (default: the client's ``soft_stop_timeout``)
        to finish; then River cancels them and they go back to the queue as
        River's soft stop does. Called from a handler, it returns at once and
        stops in the background, that handler's job included."""
        if self._runner is None:
            return
        if self._runner.owns_current_thread():
            threading.Thread(target=self.stop, args=(timeout,), name="pyriver-stop").start()
            return
        soft_timeout = self._soft_stop_timeout if timeout is None else duration_to_seconds(timeout, "timeout")
        try:
            calls.client_stop(self._target(), soft_timeout)
        finally:
            self._runner.stop(join_timeout=1)
            self._runner = None

    def run(self, stop_timeout: timedelta | float | None = None) -> None:
        """Work jobs until SIGINT (Ctrl-C) or SIGTERM, then stop gracefully
        (see :meth:`stop`) and return."""
        # Handlers go in before any job starts, so a signal is never missed.
        with stop_signals() as stop:
            self.start()
            try:
                wait(stop)
            finally:
                self.stop(stop_timeout)

    def subscribe(self, *kinds: EventKind | str) -> Subscription:
        """Subscribe to River's events of these kinds (all if none given)
        for jobs and queues this client works."""
        try:
            wanted = [EventKind(kind).value for kind in kinds] if kinds else [kind.value for kind in EventKind]
        except ValueError as exc:
            raise InvalidArgumentError(f"kinds: {exc}", "kinds") from None
        return Subscription(calls.subscribe(self._target(), wanted))

    # --- River UI ------------------------------------------------------------

    def serve_ui(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        prefix: str = "",
        username: str | None = None,
        password: str | None = None,
    ) -> RiverUI:
        """Serve River UI on this client's database from an HTTP server of
        its own (``port=0``: any free port); open ``.url`` in a browser,
        ``.stop()`` when done. ``username`` and ``password`` require HTTP
        basic auth. See :mod:`pyriver.ui` to mount it in a web application."""
        return RiverUI(self, prefix=prefix, host=host, port=port, username=username, password=password)

    # --- inserts -----------------------------------------------------------

    def _in_chunks(
        self, items: Iterable[InsertManyItem], insert: Callable[[Operations, list[dict[str, Any]]], T], fast: bool
    ) -> list[T]:
        """A batch of more than one chunk (see FIRST_QUEUED_CHUNK) goes in one
        transaction, each chunk queued in Go, which inserts it while Python
        encodes the next and reads the results of those inserted. Python
        insert middleware is given the whole batch at once, and so takes the
        way of a transaction."""
        if self._insert_chain.has_middleware:
            return super()._in_chunks(items, insert, fast)
        slices = insert_many_slices(items, FIRST_QUEUED_CHUNK, INSERT_CHUNK_SIZE)
        first = calls.encode_jobs(next(slices, []))
        following = next(slices, None)
        if following is None:
            return [insert(self, first)]
        with self.transaction() as tx:
            queue = tx._target()
            results = calls.insert_many_send(queue, first, fast)
            for chunk in chain([following], slices):
                results += calls.insert_many_send(queue, calls.encode_jobs(chunk), fast)
            return results + calls.insert_many_receive(queue, fast)

    # --- transactions ------------------------------------------------------

    def _all_or_nothing(self) -> Transaction:
        return self.transaction()

    def transaction(self) -> Transaction:
        """Open a database transaction; use it with ``with``."""
        return Transaction(self._target(), self._insert_chain)

    # --- the application's own transactions ----------------------------------

    def on(self, conn: Any) -> AppConnection:
        """River's operations inside the application's transaction on
        ``conn``: a psycopg connection or cursor, a psycopg2 connection or
        cursor, a ``sqlite3.Connection``, a SQLAlchemy ``Connection`` or
        ``Session``, or Django's ``connection``. See :class:`AppConnection`."""
        handle = self._target()
        adapter_for(conn)  # reject an unsupported connection now, not at the first call
        return AppConnection(handle, lambda: adapter_for(conn), self._insert_chain)

    def _on_now(self, conn: Any) -> AppConnection:
        """``on(conn)`` for one call made at once: the connection is resolved
        once, not again for the call (insert middleware's two passes share it)."""
        handle = self._target()
        adapter = adapter_for(conn)
        return AppConnection(handle, lambda: adapter, self._insert_chain)

    def insert_tx(self, conn: Any, args: Any, insert_opts: AnyInsertOpts | None = None) -> JobInsertResult:
        """Insert a job inside the application's transaction on ``conn``
        (riverqueue-python's spelling of ``client.on(conn).insert``)."""
        return self._on_now(conn).insert(args, insert_opts)

    def insert_many_tx(self, conn: Any, items: Iterable[InsertManyItem]) -> list[JobInsertResult]:
        """Insert jobs inside the application's transaction on ``conn``,
        all or none (``client.on(conn).insert_many``)."""
        return self._on_now(conn).insert_many(items)
