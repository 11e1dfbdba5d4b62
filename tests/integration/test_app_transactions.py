"""Jobs enqueued inside the application's own transaction: every connection
kind pyriver accepts, on both databases, with River's own insert code."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import pyriver
from pyriver import testing
from pyriver import InsertOpts, JobState, UniqueOpts
from support.appconns import SYNC_KINDS, AppConnection, RollBack, open_sync
from support.databases import Database, new_database
from go_kinds import Echo
from support.goprograms import go_worker, interopcheck
from support.jobargs import Order, SendEmail
from support.stamps import StampMetadata
from support.telemetry import Telemetry, traceparent
from support.waiting import wait_for

pytestmark = pytest.mark.usefixtures("statement_path")


@pytest.fixture(
    params=[(driver, kind) for driver, kinds in SYNC_KINDS.items() for kind in kinds],
    ids=lambda param: f"{param[0]}-{param[1]}",
)
def app_database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Database, str]:
    driver, kind = request.param
    database = new_database(driver, request, tmp_path)
    # Migrated by a client that is then closed: on SQLite, the client used
    # with the application's connection must never open the file itself.
    with pyriver.Client(database.url) as migrator:
        migrator.migrate()
    database.execute("CREATE TABLE orders (id integer PRIMARY KEY)")
    return database, kind


@pytest.fixture
def database(app_database: tuple[Database, str]) -> Database:
    return app_database[0]


@pytest.fixture
def app(app_database: tuple[Database, str]) -> Iterator[AppConnection]:
    database, kind = app_database
    connection = open_sync(kind, database)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def client(database: Database) -> Iterator[pyriver.Client]:
    with pyriver.Client(database.url) as client:
        yield client


def orders(database: Database) -> int:
    return int(database.scalar("SELECT count(*) FROM orders"))


def state_of(database: Database, job_id: int) -> str:
    return database.scalar(f"SELECT state FROM river_job WHERE id = {job_id}")


def test_rollback_leaves_neither_the_row_nor_the_job(
    client: pyriver.Client, app: AppConnection, database: Database
) -> None:
    with app.transaction():
        app.execute("INSERT INTO orders (id) VALUES (1)")
        result = client.insert_tx(app.conn, SendEmail("buyer@example.com"))
        assert result.job.state is JobState.AVAILABLE and result.job.kind == "send_email"
        assert testing.require_inserted(client.on(app.conn), SendEmail, state="available").id == result.job.id
        raise RollBack
    assert orders(database) == 0 and database.job_count() == 0
    testing.require_not_inserted(client.on(app.conn), SendEmail)


def test_commit_keeps_both_and_a_listening_go_worker_works_the_job(
    client: pyriver.Client, app: AppConnection, database: Database
) -> None:
    # A poll interval far beyond the wait below: only River's notification
    # at commit can wake the Go worker in time (PostgreSQL; SQLite has no
    # notifications, so its workers poll).
    with go_worker(database.url, "-fetch-poll-interval", "30s") if database.driver == "postgres" else _nothing():
        time.sleep(0.2)  # past River's fetch cooldown after the worker's first fetch
        with app.transaction():
            app.execute("INSERT INTO orders (id) VALUES (1)")
            job = (
                client.on(app.conn)
                .insert(Echo(nested={}, text="hi", big_int=1, big_uint=2, float=0.5, empty_list=[]))
                .job
            )
        committed_at = datetime.now(timezone.utc)
        assert orders(database) == 1 and database.job_count() == 1
        if database.driver == "postgres":
            wait_for(lambda: state_of(database, job.id) == "completed", timeout=10, what="the Go worker")
            attempted_at = datetime.fromisoformat(
                database.scalar(f"SELECT attempted_at FROM river_job WHERE id = {job.id}")
            )
            assert (attempted_at - committed_at).total_seconds() < 0.1


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


def test_unique_keys_are_rivers_own(client: pyriver.Client, app: AppConnection, database: Database) -> None:
    args: dict[str, Any] = {"customer": "ada", "amount": 4200, "items": ["book", "pen"]}
    (from_go,) = interopcheck(
        database.url, "insert", [{"kind": "order", "args": args, "opts": {"unique_opts": {"by_args": True}}}]
    )
    with app.transaction():
        duplicate = client.on(app.conn).insert(Order(**args), InsertOpts(unique_opts=UniqueOpts(by_args=True)))
        fresh = client.on(app.conn).insert(Order("bob", 1, []), InsertOpts(unique_opts=UniqueOpts(by_args=True)))
        again = client.on(app.conn).insert(Order("bob", 1, []), InsertOpts(unique_opts=UniqueOpts(by_args=True)))
    assert duplicate.unique_skipped_as_duplicate and duplicate.job.id == from_go["id"]
    assert duplicate.job.unique_key == base64.b64decode(from_go["unique_key"])
    assert not fresh.unique_skipped_as_duplicate and again.unique_skipped_as_duplicate and again.job.id == fresh.job.id
    assert database.job_count() == 2


def test_every_transactional_operation_runs_on_the_connection(
    client: pyriver.Client, app: AppConnection, database: Database
) -> None:
    with app.transaction():
        ops = client.on(app.conn)
        first, second, third = (
            r.job for r in client.insert_many_tx(app.conn, [SendEmail("a"), SendEmail("b"), SendEmail("c")])
        )
        assert ops.insert_many_fast([SendEmail("d"), (SendEmail("e"), InsertOpts(queue="other"))]) == 2
        assert [job.id for job in ops.job_list(kinds=["send_email"], limit=3).jobs] == [first.id, second.id, third.id]
        assert ops.job_cancel(first.id).state is JobState.CANCELLED
        assert ops.job_retry(first.id).state is JobState.AVAILABLE
        assert ops.job_delete(second.id).id == second.id
        assert [job.id for job in ops.job_delete_many(ids=[third.id])] == [third.id]
        with pytest.raises(pyriver.NotFoundError):
            ops.job_get(second.id)
    assert database.job_count() == 3
    with app.transaction():
        # Queues are recorded by the clients that work them; here, by hand.
        metadata = "'{}'" if database.driver == "postgres" else "jsonb('{}')"
        app.execute(
            "INSERT INTO river_queue (name, created_at, metadata, updated_at) "
            f"VALUES ('other', CURRENT_TIMESTAMP, {metadata}, CURRENT_TIMESTAMP)"
        )
        ops = client.on(app.conn)
        ops.queue_pause("other")
        assert ops.queue_get("other").paused_at is not None
        assert json.loads(ops.queue_update("other", metadata={"team": "mail"}).metadata) == {"team": "mail"}
        assert [queue.name for queue in ops.queue_list()] == ["other"]
        ops.queue_resume("other")
        assert ops.queue_get("other").paused_at is None
    assert database.scalar("SELECT name FROM river_queue") == "other"


def test_insert_middleware_runs(database: Database, app: AppConnection) -> None:
    with pyriver.Client(database.url, insert_middleware=[StampMetadata()]) as client, app.transaction():
        job = client.insert_tx(app.conn, SendEmail("a")).job
    assert b'"stamped"' in job.metadata
    assert "stamped" in database.scalar(f"SELECT metadata FROM river_job WHERE id = {job.id}")


def test_trace_context_is_written_on_the_applications_connection(database: Database, app: AppConnection) -> None:
    telemetry = Telemetry()
    otel = telemetry.middleware(enable_trace_propagation=True)
    with pyriver.Client(database.url, insert_middleware=[otel]) as client, app.transaction():
        with telemetry.tracer_provider.get_tracer("app").start_as_current_span("request"):
            job = client.insert_tx(app.conn, SendEmail("a")).job
    (insert,) = telemetry.finished()
    assert json.loads(job.metadata)["traceparent"] == traceparent(insert)
    # As stored (SQLite keeps metadata as JSONB: text search, not JSON).
    assert traceparent(insert) in database.scalar(f"SELECT metadata FROM river_job WHERE id = {job.id}")


# Text JSON escapes, text beyond ASCII and control characters: River's
# statements carry it to the application's driver, and the rows they return
# carry it back through the driver's reply.
AWKWARD_TEXT = ['say "hi"', "back\\slash", "tab\tnew\nline", "\x01\x1f", "é ü ß", "😀 𝄞", "\u2028 end"]


def test_awkward_text_comes_back_unchanged(client: pyriver.Client, app: AppConnection) -> None:
    jobs = [Order(text, n, [text, "plain"]) for n, text in enumerate(AWKWARD_TEXT)]
    with app.transaction():
        inserted = [result.job for result in client.insert_many_tx(app.conn, jobs)]
        one = client.insert_tx(app.conn, jobs[0]).job
        read_back = [client.on(app.conn).job_get(job.id) for job in inserted]
    expected = [{"customer": text, "amount": n, "items": [text, "plain"]} for n, text in enumerate(AWKWARD_TEXT)]
    assert [job.args for job in inserted] == expected
    assert [job.args for job in read_back] == expected
    assert one.args == expected[0]
    assert [job.encoded_args for job in inserted] == [job.encoded_args for job in read_back]


def test_bad_input_raises_as_on_the_client_and_leaves_the_transaction_usable(
    client: pyriver.Client, app: AppConnection, database: Database
) -> None:
    with app.transaction():
        app.execute("INSERT INTO orders (id) VALUES (1)")
        ops = client.on(app.conn)
        with pytest.raises(pyriver.InvalidArgumentError) as priority:
            ops.insert(SendEmail("a"), InsertOpts(priority=9))
        assert priority.value.param == "opts.priority"
        with pytest.raises(pyriver.InvalidArgumentError, match="tags"):
            ops.insert(SendEmail("a"), InsertOpts(tags=["not a tag!"]))
        with pytest.raises(pyriver.InvalidArgumentTypeError) as no_kind:
            ops.insert({"to": "a"})  # type: ignore[arg-type]  # refused: the point of the test
        assert no_kind.value.param == "args"
        with pytest.raises(pyriver.InvalidArgumentError) as by_state:
            ops.insert(SendEmail("a"), InsertOpts(unique_opts=UniqueOpts(by_args=True, by_state=["completed"])))
        assert by_state.value.param.startswith("opts.unique_opts")
        app.execute("INSERT INTO orders (id) VALUES (2)")
    assert orders(database) == 2 and database.job_count() == 0


def test_a_failing_statement_raises_database_error_caused_by_the_drivers_exception(
    client: pyriver.Client, app: AppConnection, database: Database
) -> None:
    database.execute("DROP TABLE river_job CASCADE" if database.driver == "postgres" else "DROP TABLE river_job")
    with app.transaction():
        app.execute("INSERT INTO orders (id) VALUES (1)")
        with pytest.raises(pyriver.DatabaseError, match="river_job") as raised:
            client.insert_tx(app.conn, SendEmail("a"))
        assert raised.value.__cause__ is not None
        assert type(raised.value.__cause__).__module__.split(".")[0] in ("psycopg", "psycopg2", "sqlite3", "pysqlite3")
        raise RollBack
    assert orders(database) == 0


def test_a_connection_to_the_other_database_is_refused(
    app: AppConnection, database: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    (tmp_path / "other").mkdir()
    other = new_database("sqlite" if database.driver == "postgres" else "postgres", request, tmp_path / "other")
    with pyriver.Client(other.url) as client, app.transaction():
        with pytest.raises(pyriver.InvalidArgumentError, match="client's database") as raised:
            client.insert_tx(app.conn, SendEmail("a"))
        assert raised.value.param == "conn"


def test_the_client_must_be_open(database: Database, app: AppConnection) -> None:
    client = pyriver.Client(database.url)
    ops = client.on(app.conn)
    client.close()
    with pytest.raises(pyriver.ClientClosedError):
        ops.insert(SendEmail("a"))
    with pytest.raises(pyriver.ClientClosedError):
        client.on(app.conn)


def test_migrations_run_in_the_applications_transaction(client: pyriver.Client, app: AppConnection) -> None:
    with app.transaction():
        ops = client.on(app.conn)
        assert ops.migrate_validate().ok
        latest = max(version.version for version in ops.migrate_versions())
        assert ops.migrate_down(target_version=0)[0] == latest
        assert not ops.migrate_validate().ok
        raise RollBack
    with app.transaction():
        ops = client.on(app.conn)
        assert ops.migrate_validate().ok
        assert all(version.applied for version in ops.migrate_versions())
        assert ops.migrate() == []
