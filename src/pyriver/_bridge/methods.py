"""The library's methods, as ``go/internal/protocol/methods.go`` names them
(a test compares the two through ``library.describe``)."""

from __future__ import annotations

LIBRARY_PING = "library.ping"
LIBRARY_INFO = "library.info"
LIBRARY_DESCRIBE = "library.describe"
LIBRARY_TRACE_START = "library.trace_start"
LIBRARY_TRACE_STOP = "library.trace_stop"

INTERRUPTS_WATCH = "interrupts.watch"

CLIENT_OPEN = "client.open"
CLIENT_CLOSE = "client.close"
CLIENT_START = "client.start"
CLIENT_STOP = "client.stop"

TX_BEGIN = "tx.begin"
TX_COMMIT = "tx.commit"
TX_ROLLBACK = "tx.rollback"
TX_EXECUTE = "tx.execute"
TX_QUERY = "tx.query"

JOB_INSERT_MANY = "job.insert_many"
JOB_INSERT_MANY_FAST = "job.insert_many_fast"
JOB_INSERT_MANY_SEND = "job.insert_many_send"
JOB_INSERT_MANY_RECEIVE = "job.insert_many_receive"
JOB_GET = "job.get"
JOB_CANCEL = "job.cancel"
JOB_DELETE = "job.delete"
JOB_RETRY = "job.retry"
JOB_LIST = "job.list"
JOB_DELETE_MANY = "job.delete_many"

QUEUE_GET = "queue.get"
QUEUE_LIST = "queue.list"
QUEUE_PAUSE = "queue.pause"
QUEUE_RESUME = "queue.resume"
QUEUE_UPDATE = "queue.update"

MIGRATION_MIGRATE = "migration.migrate"
MIGRATION_VALIDATE = "migration.validate"
MIGRATION_VERSIONS = "migration.versions"

PERIODIC_ADD = "periodic.add"
PERIODIC_REMOVE = "periodic.remove"
PERIODIC_CLEAR = "periodic.clear"

EVENTS_SUBSCRIBE = "events.subscribe"
EVENTS_NEXT = "events.next"
EVENTS_CLOSE = "events.close"

WORKER_NEXT = "worker.next"
WORKER_COMPLETE = "worker.complete"
WORKER_SIGNAL = "worker.signal"

APP_CALL = "app.call"
APP_RUN = "app.run"
APP_RUN_AVAILABLE = "app.run_available"
APP_REPLY = "app.reply"
APP_CLOSE = "app.close"
APP_SQLITE_FILE_IN_USE = "app.sqlite_file_in_use"

LOGS_NEXT = "logs.next"

UI_OPEN = "ui.open"
UI_REQUEST = "ui.request"
UI_CLOSE = "ui.close"


def all_methods() -> list[str]:
    """Every method named here, sorted."""
    return sorted(value for name, value in globals().items() if name.isupper() and isinstance(value, str))
