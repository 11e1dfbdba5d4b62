"""One typed function per method of the library: the only code that builds
requests and reads responses. Public modules call these with a Target."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError
from ..results import JobListResult, MigrateValidateResult, MigrationVersion, QueryResult
from ..types import JobInsertParams, JobInsertResult, JobRow, Queue
from . import methods, transport
from .inserts import insert_item_to_wire, insert_many_to_wire
from .rows import (
    JOB_ROW_FIELDS,
    filled_params_from_wire,
    filled_params_to_wire,
    insert_results_from_wire,
    job_row_from_wire,
    job_rows_from_wire,
    queue_from_wire,
)
from .targets import ClientHandle, SubscriptionHandle, Target, TxHandle
from .values import (
    check_int,
    check_int_list,
    check_state_list,
    check_str,
    check_str_list,
    datetime_from_wire,
    datetime_to_wire,
    MAX_DURATION_SECONDS,
    json_object_to_wire,
    optional_int,
    optional_str_list,
    sql_params_to_wire,
)

if TYPE_CHECKING:
    from ..events import Event

# --- the library -------------------------------------------------------------


def ping() -> None:
    transport.call(methods.LIBRARY_PING, {})


def library_info() -> dict[str, str]:
    return dict(transport.call(methods.LIBRARY_INFO, {}))


def trace_start(path: str) -> None:
    transport.call(methods.LIBRARY_TRACE_START, {"path": path})


def trace_stop() -> None:
    transport.call(methods.LIBRARY_TRACE_STOP, {})


def describe() -> dict[str, Any]:
    return dict(transport.call(methods.LIBRARY_DESCRIBE, {}))


# --- clients -------------------------------------------------------------------


def client_open(url: str, config: dict[str, Any], periodic_jobs: list[dict[str, Any]]) -> ClientHandle:
    request = {"url": check_str(url, "url"), "config": config, "periodic_jobs": periodic_jobs}
    return ClientHandle(int(transport.call(methods.CLIENT_OPEN, request)))


def client_close(client: ClientHandle) -> None:
    client.call(methods.CLIENT_CLOSE, {})


def client_start(client: ClientHandle) -> None:
    client.call(methods.CLIENT_START, {})


def client_stop(client: ClientHandle, soft_timeout_seconds: float) -> None:
    client.call(methods.CLIENT_STOP, {"soft_timeout_seconds": soft_timeout_seconds})


# --- transactions on the client's own connection -------------------------------


def tx_begin(client: ClientHandle) -> TxHandle:
    return TxHandle(client.client, int(client.call(methods.TX_BEGIN, {})))


def tx_commit(tx: TxHandle) -> None:
    tx.call(methods.TX_COMMIT, {})


def tx_rollback(tx: TxHandle) -> None:
    tx.call(methods.TX_ROLLBACK, {})


def tx_execute(tx: TxHandle, sql: str, params: tuple[Any, ...]) -> int:
    request = {"sql": check_str(sql, "sql"), "params": sql_params_to_wire(params)}
    return int(tx.call(methods.TX_EXECUTE, request))


def tx_query(tx: TxHandle, sql: str, params: tuple[Any, ...]) -> QueryResult:
    result = tx.call(methods.TX_QUERY, {"sql": check_str(sql, "sql"), "params": sql_params_to_wire(params)})
    return QueryResult(columns=result["columns"], rows=[tuple(row) for row in result["rows"]])


# --- inserts ---------------------------------------------------------------------


def encode_jobs(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Jobs for the insert calls, encoded once (insert middleware makes two
    passes with the same jobs)."""
    return insert_many_to_wire(items)


def encode_job(args: Any, opts: Any) -> list[dict[str, Any]]:
    """``encode_jobs`` of one job, without the forms of an insert_many item."""
    return [insert_item_to_wire(args, opts)]


def _insert_request(jobs: list[dict[str, Any]], set_metadata: dict[str, str] | None, **fields: Any) -> dict[str, Any]:
    """An insert request; ``set_metadata`` are keys River's insert writes into
    every job's metadata after filling it in (see insert_middleware)."""
    request = {"jobs": jobs, **fields}
    if set_metadata:
        request["set_metadata"] = set_metadata
    return request


def insert_many(
    target: Target, jobs: list[dict[str, Any]], set_metadata: dict[str, str] | None = None
) -> list[JobInsertResult]:
    return insert_results_from_wire(target.call(methods.JOB_INSERT_MANY, _insert_request(jobs, set_metadata)))


def insert_many_send(tx: TxHandle, jobs: list[dict[str, Any]], fast: bool) -> list[Any]:
    """Queue a chunk of a large insert_many (``fast``: insert_many_fast) in
    the transaction, where River inserts it while the caller encodes the next
    (``go/internal/api/insert_queue.go``). Returns the results of the chunks
    inserted meanwhile, as :func:`insert_many_receive`."""
    return _chunk_results(tx.call(methods.JOB_INSERT_MANY_SEND, {"jobs": jobs, "fast": fast}), fast)


def insert_many_receive(tx: TxHandle, fast: bool) -> list[Any]:
    """Each remaining chunk's results, in the order sent, once River inserted
    them (``fast``: counts); the error of the first that failed."""
    return _chunk_results(tx.call(methods.JOB_INSERT_MANY_RECEIVE, {}), fast)


def _chunk_results(chunks: list[Any], fast: bool) -> list[Any]:
    return chunks if fast else [insert_results_from_wire(chunk) for chunk in chunks]


def insert_prepare(target: Target, jobs: list[dict[str, Any]]) -> list[JobInsertParams]:
    """The parameters River fills in for the jobs, writing nothing."""
    filled = target.call(methods.JOB_INSERT_MANY, {"jobs": jobs, "prepare": True})
    return [filled_params_from_wire(params) for params in filled]


def insert_with_params(
    target: Target,
    jobs: list[dict[str, Any]],
    params: Sequence[JobInsertParams],
    set_metadata: dict[str, str] | None = None,
) -> list[JobInsertResult]:
    """Insert the jobs with River's filled parameters replaced by ``params``."""
    overrides = [filled_params_to_wire(p) for p in params]
    request = _insert_request(jobs, set_metadata, overrides=overrides)
    return insert_results_from_wire(target.call(methods.JOB_INSERT_MANY, request))


def insert_many_fast(target: Target, jobs: list[dict[str, Any]], set_metadata: dict[str, str] | None = None) -> int:
    return int(target.call(methods.JOB_INSERT_MANY_FAST, _insert_request(jobs, set_metadata)))


# --- jobs ------------------------------------------------------------------------


@contextmanager
def _naming(*, id: int | None = None, name: str | None = None) -> Iterator[None]:
    """Give a NotFoundError the id or name that was asked for."""
    try:
        yield
    except NotFoundError as error:
        error.id, error.name = id, name
        raise


def _job_by_id(method: str, target: Target, id: Any) -> JobRow:
    with _naming(id=check_int(id, "id")):
        return job_row_from_wire(target.call(method, {"id": id}))


def job_get(target: Target, id: int) -> JobRow:
    return _job_by_id(methods.JOB_GET, target, id)


def job_cancel(target: Target, id: int) -> JobRow:
    return _job_by_id(methods.JOB_CANCEL, target, id)


def job_delete(target: Target, id: int) -> JobRow:
    return _job_by_id(methods.JOB_DELETE, target, id)


def job_retry(target: Target, id: int) -> JobRow:
    return _job_by_id(methods.JOB_RETRY, target, id)


@dataclass(frozen=True)
class JobFilters:
    """The filters job_list and job_delete_many share; None means "no
    filter"."""

    ids: Any = None
    kinds: Any = None
    priorities: Any = None
    queues: Any = None
    states: Any = None
    limit: Any = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {}
        if self.ids is not None:
            wire["ids"] = check_int_list(self.ids, "ids")
        if self.kinds is not None:
            wire["kinds"] = check_str_list(self.kinds, "kinds")
        if self.priorities is not None:
            wire["priorities"] = check_int_list(self.priorities, "priorities")
        if self.queues is not None:
            wire["queues"] = check_str_list(self.queues, "queues")
        if self.states is not None:
            wire["states"] = check_state_list(self.states, "states")
        if self.limit is not None:
            wire["limit"] = check_int(self.limit, "limit")
        return wire


def job_list(
    target: Target,
    filters: JobFilters,
    *,
    tags_all: Any,
    tags_any: Any,
    order_by: Any,
    order: Any,
    after: Any,
) -> JobListResult:
    request = filters.to_wire()
    request["tags_all"] = optional_str_list(tags_all, "tags_all")
    request["tags_any"] = optional_str_list(tags_any, "tags_any")
    request["order_by"] = check_str(order_by, "order_by")
    request["order"] = check_str(order, "order")
    if after is not None:
        request["after"] = check_str(after, "after")
    result = target.call(methods.JOB_LIST, request)
    return JobListResult(jobs=job_rows_from_wire(result["jobs"]), last_cursor=result.get("last_cursor"))


def job_delete_many(target: Target, filters: JobFilters, *, unsafe_all: bool) -> list[JobRow]:
    request = filters.to_wire()
    request["unsafe_all"] = bool(unsafe_all)
    return job_rows_from_wire(target.call(methods.JOB_DELETE_MANY, request))


# --- queues ------------------------------------------------------------------------


def queue_get(target: Target, name: str) -> Queue:
    with _naming(name=check_str(name, "name")):
        return queue_from_wire(target.call(methods.QUEUE_GET, {"name": name}))


def queue_list(target: Target, limit: int | None) -> list[Queue]:
    request = {} if limit is None else {"limit": check_int(limit, "limit")}
    return [queue_from_wire(queue) for queue in target.call(methods.QUEUE_LIST, request)]


def queue_pause(target: Target, name: str) -> None:
    with _naming(name=check_str(name, "name")):
        target.call(methods.QUEUE_PAUSE, {"name": name})


def queue_resume(target: Target, name: str) -> None:
    with _naming(name=check_str(name, "name")):
        target.call(methods.QUEUE_RESUME, {"name": name})


def queue_update(target: Target, name: str, metadata: Any) -> Queue:
    request = {"name": check_str(name, "name"), "metadata": json_object_to_wire(metadata, "metadata")}
    with _naming(name=name):
        return queue_from_wire(target.call(methods.QUEUE_UPDATE, request))


# --- migrations --------------------------------------------------------------------


def migrate(target: Target, direction: str, *, max_steps: Any = None, target_version: Any = None) -> list[int]:
    request = {
        "direction": direction,
        "max_steps": optional_int(max_steps, "max_steps"),
        "target_version": optional_int(target_version, "target_version"),
    }
    return list(target.call(methods.MIGRATION_MIGRATE, request))


def migrate_validate(target: Target) -> MigrateValidateResult:
    result = target.call(methods.MIGRATION_VALIDATE, {})
    return MigrateValidateResult(ok=result["ok"], messages=result["messages"])


def migrate_versions(target: Target) -> list[MigrationVersion]:
    return [MigrationVersion(**version) for version in target.call(methods.MIGRATION_VERSIONS, {})]


# --- periodic jobs -------------------------------------------------------------------


def periodic_add(client: ClientHandle, job: dict[str, Any]) -> int:
    return int(client.call(methods.PERIODIC_ADD, {"job": job}))


def periodic_remove(client: ClientHandle, handle: int) -> None:
    client.call(methods.PERIODIC_REMOVE, {"handle": handle})


def periodic_clear(client: ClientHandle) -> None:
    client.call(methods.PERIODIC_CLEAR, {})


# --- events ----------------------------------------------------------------------------


def subscribe(client: ClientHandle, kinds: list[str]) -> SubscriptionHandle:
    return SubscriptionHandle(int(client.call(methods.EVENTS_SUBSCRIBE, {"kinds": kinds})))


def events_next(subscription: SubscriptionHandle, timeout: float, max: int) -> tuple[list[Event], bool]:
    """The events waiting (after waiting up to ``timeout`` seconds for one)
    and whether River ended the subscription."""
    request = {"subscription": subscription.subscription, "timeout_seconds": timeout, "max": max}
    batch = transport.call(methods.EVENTS_NEXT, request)
    return [_event_from_wire(event) for event in batch["events"]], bool(batch["closed"])


def _event_from_wire(wire: dict[str, Any]) -> Event:
    from ..events import Event, EventKind, JobStatistics

    stats = wire.get("job_stats")
    return Event(
        kind=EventKind(wire["kind"]),
        job=job_row_from_wire(wire["job"]) if wire.get("job") else None,
        job_stats=JobStatistics(
            queue_wait_duration=timedelta(seconds=stats["queue_wait_seconds"]),
            run_duration=timedelta(seconds=stats["run_seconds"]),
            complete_duration=timedelta(seconds=stats["complete_seconds"]),
        )
        if stats
        else None,
        queue=queue_from_wire(wire["queue"]) if wire.get("queue") else None,
    )


def events_close(subscription: SubscriptionHandle) -> None:
    transport.call(methods.EVENTS_CLOSE, {"subscription": subscription.subscription})


# --- River UI --------------------------------------------------------------------------


def ui_open(
    client: ClientHandle, *, prefix: str, host: str, port: int, username: str, password: str
) -> tuple[int, str]:
    """River UI for the client: its handle and, with a host, its URL."""
    request = {"prefix": prefix, "host": host, "port": port, "username": username, "password": password}
    opened = client.call(methods.UI_OPEN, request)
    return int(opened["ui"]), str(opened["url"])


def ui_request(
    ui: int, method: str, target: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One HTTP request answered by River UI's handler."""
    request = {
        "ui": ui,
        "method": method,
        "target": target,
        "headers": headers,
        "body": base64.b64encode(body).decode(),
    }
    answer = transport.call(methods.UI_REQUEST, request)
    headers_out = [(name, value) for name, value in answer["headers"] or []]
    return int(answer["status"]), headers_out, base64.b64decode(answer["body"] or "")


def ui_close(ui: int) -> None:
    transport.call(methods.UI_CLOSE, {"ui": ui})


# --- Python workers ----------------------------------------------------------------------


@dataclass(slots=True)  # not frozen, which costs a microsecond more for every job handed over
class Handoff:
    """A job River hands to Python: report its outcome with ``token``.

    The row stays as it came (``row_wire``) until the handler first reads it
    (``Job.row``, ``job.id``...): building a ``JobRow`` was half of Python's
    work for a job handed over, and most handlers read only the args.
    ``decode_error`` is set for args or a deadline Python cannot represent:
    the attempt fails without running the handler."""

    token: int
    kind: str
    row_wire: list[Any]
    args: Any
    deadline: datetime | None
    decode_error: Exception | None = None

    def row(self) -> JobRow:
        """The row as a ``JobRow``, args included; DatabaseError for a time
        beyond ``datetime``'s range."""
        row = job_row_from_wire(self.row_wire)
        # The args are decoded already: into JobRow.args' cache
        # (functools.cached_property keeps it in the instance's __dict__).
        vars(row)["args"] = self.args
        return row


_ENCODED_ARGS = JOB_ROW_FIELDS.index("encoded_args")
_KIND = JOB_ROW_FIELDS.index("kind")


def _handoff_from_wire(wire: dict[str, Any]) -> Handoff:
    token, row_wire = wire["token"], wire["job"]
    kind = row_wire[_KIND]
    try:
        deadline = None if wire["deadline_us"] is None else datetime_from_wire(wire["deadline_us"])
        # Decoded here from the wire's text, which skips the lock that
        # cached_property takes on Python 3.11 and the detection of the bytes'
        # encoding: 4 µs a job.
        encoded_args = row_wire[_ENCODED_ARGS]
        args = json.loads(encoded_args) if encoded_args else None
    except (ValueError, OverflowError) as exc:
        return Handoff(token, kind, row_wire, args=None, deadline=None, decode_error=exc)
    return Handoff(token, kind, row_wire, args, deadline)


@dataclass(frozen=True)
class Cancellation:
    """River cancelled the running job with this token."""

    token: int
    reason: str


def worker_next(client: ClientHandle, max: int, timeout: float) -> tuple[list[Handoff], list[Cancellation]]:
    """Up to ``max`` jobs (none when 0) and every cancellation notice
    waiting, after waiting up to ``timeout`` seconds for either."""
    work = client.call(methods.WORKER_NEXT, {"max": max, "timeout_seconds": timeout})
    handoffs = [_handoff_from_wire(handoff) for handoff in work["jobs"] or ()]
    cancellations = [Cancellation(notice["token"], notice["reason"]) for notice in work["cancellations"] or ()]
    return handoffs, cancellations


def worker_signal(client: ClientHandle) -> int:
    """A file descriptor, the caller's to close, that becomes readable when
    work is waiting for ``worker_next(client, max, 0)``."""
    return int(client.call(methods.WORKER_SIGNAL, {}))


COMPLETED: dict[str, Any] = {"kind": "completed"}
"""The outcome of a handler that returned None, the commonest: one shared
object (never changed), which ``worker_complete`` sends as a bare token."""


def completed(output: Any) -> dict[str, Any]:
    """The outcome of a handler that returned ``output`` (None for none);
    ``output`` must be JSON-encodable (TypeError/ValueError otherwise)."""
    if output is None:
        return COMPLETED
    return {"kind": "completed", "output": json.loads(json.dumps(output, allow_nan=False))}


def failed(message: str, trace: str, next_retry: datetime | None = None) -> dict[str, Any]:
    outcome: dict[str, Any] = {"kind": "error", "message": message, "trace": trace}
    if next_retry is not None:
        outcome["next_retry_us"] = datetime_to_wire(next_retry, "next_retry")
    return outcome


def snoozed(seconds: float) -> dict[str, Any]:
    if not 0 <= seconds <= MAX_DURATION_SECONDS:  # also NaN
        raise ValueError(f"JobSnooze needs a duration from 0 seconds to 292 years, got {seconds}")
    return {"kind": "snooze", "snooze_seconds": seconds}


def cancelled(reason: Any) -> dict[str, Any]:
    return {"kind": "cancel", "message": str(reason)}


def worker_complete(client: ClientHandle, completions: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Report outcomes, by hand-off token, in one call. Go's answer (which
    ones River still waited for) is dropped: River has already recorded the
    others, and the runner has nothing to do about them."""
    request = {
        "completed": [token for token, outcome in completions if outcome is COMPLETED],
        "completions": [
            {"token": token, "outcome": outcome} for token, outcome in completions if outcome is not COMPLETED
        ],
    }
    client.call(methods.WORKER_COMPLETE, request)


# --- the application's connection ---------------------------------------------------------


def app_call(client: ClientHandle, dialect: dict[str, Any], method: str, request: dict[str, Any]) -> dict[str, Any]:
    """Start ``method`` on the application's connection: the first step."""
    request["client"] = client.client
    return dict(client.call(methods.APP_CALL, {"dialect": dialect, "method": method, "request": request}))


def app_run(
    client: ClientHandle,
    dialect: dict[str, Any],
    method: str,
    request: dict[str, Any],
    execute: Callable[[bytes], bytes],
    keep: Callable[[BaseException], None],
) -> dict[str, Any]:
    """Run ``method`` on the application's connection in one call: River
    calls ``execute`` (statement JSON in, reply JSON out) on this thread for
    each statement, and hands ``keep`` any exception escaping it. Both must
    stay alive until the call returns: the caller's references keep them."""
    request["client"] = client.client
    wire = {"dialect": dialect, "method": method, "request": request, "execute": id(execute), "keep": id(keep)}
    return dict(client.call(methods.APP_RUN, wire))


@functools.cache
def app_run_available() -> bool:
    """Whether the library can call Python on the calling thread (it finds
    CPython's C API in the process); otherwise operations take steps."""
    return bool(transport.call(methods.APP_RUN_AVAILABLE, {}))


def app_reply(session: int, reply: dict[str, Any]) -> dict[str, Any]:
    """Answer the session's statement: the next step."""
    reply["session"] = session
    return dict(transport.call(methods.APP_REPLY, reply))


def app_result(step: dict[str, Any]) -> Any:
    """The finished operation's result, or its error raised."""
    return transport.result_of(step["result"])


def app_close(session: int) -> None:
    transport.call(methods.APP_CLOSE, {"session": session})


def sqlite_file_in_use(path: str) -> bool:
    return bool(transport.call(methods.APP_SQLITE_FILE_IN_USE, {"path": path}))


# --- logs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogRecord:
    """One of River's slog records."""

    time_us: int
    level: int
    message: str
    attrs: dict[str, Any]


def logs_next(timeout: float, max: int) -> tuple[list[LogRecord], int]:
    """River's log records waiting (after waiting up to ``timeout`` seconds
    for one) and how many were dropped since the last call."""
    batch = transport.call(methods.LOGS_NEXT, {"timeout_seconds": timeout, "max": max})
    records = [
        LogRecord(record["time_us"], record["level"], record["message"], record.get("attrs") or {})
        for record in batch["records"] or ()
    ]
    return records, int(batch["dropped"])
