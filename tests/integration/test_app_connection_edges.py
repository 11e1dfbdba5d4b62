"""Application connections in the states applications get them in:
autocommit, an aborted transaction, closed, on another database or thread,
of an unsupported kind, and async connections on an event loop."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

import pyriver
from support.appconns import ASYNC_KINDS, RollBack, open_async, postgres_dsn
from support.databases import Database, new_database, sqlite_module
from support.jobargs import SendEmail


@pytest.fixture
def migrated(database: Database) -> Database:
    with pyriver.Client(database.url) as client:
        client.migrate()
    return database


def dbapi_connect(database: Database, **options: Any) -> Any:
    if database.driver == "sqlite":
        return sqlite_module().connect(database.sqlite_path, timeout=30, **options)
    import psycopg

    return psycopg.connect(postgres_dsn(database), **options)


def test_an_unsupported_object_is_refused_with_the_accepted_kinds(migrated: Database) -> None:
    with pyriver.Client(migrated.url) as client:
        for wrong in (object(), migrated.url, None):
            with pytest.raises(pyriver.InvalidArgumentTypeError, match="psycopg.Connection") as raised:
                client.on(wrong)
            assert raised.value.param == "conn"


def test_autocommit_gives_each_call_its_own_transaction(migrated: Database) -> None:
    """No transaction open and autocommit on: the call is committed when it
    returns, and a failing batch writes nothing, as on the client."""
    options = {"isolation_level": None} if migrated.driver == "sqlite" else {"autocommit": True}
    conn = dbapi_connect(migrated, **options)
    try:
        with pyriver.Client(migrated.url) as client:
            client.insert_many_tx(conn, [SendEmail("a"), SendEmail("b")])
            assert migrated.job_count() == 2
            with pytest.raises(pyriver.InvalidArgumentError):
                client.insert_many_tx(conn, [SendEmail("c"), (SendEmail("d"), pyriver.InsertOpts(tags=["bad tag"]))])
            assert migrated.job_count() == 2
    finally:
        conn.close()


def test_a_closed_connection_raises_database_error(migrated: Database) -> None:
    conn = dbapi_connect(migrated)
    conn.close()
    with pyriver.Client(migrated.url) as client:
        with pytest.raises(pyriver.DatabaseError) as raised:
            client.insert_tx(conn, SendEmail("a"))
    assert raised.value.__cause__ is not None
    assert migrated.job_count() == 0


def test_an_aborted_transaction_raises_database_error_and_stays_aborted(postgres_database: Database) -> None:
    import psycopg

    conn = psycopg.connect(postgres_dsn(postgres_database))
    try:
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("SELECT 1/0")
        with pyriver.Client(postgres_database.url) as client:
            with pytest.raises(pyriver.DatabaseError, match="aborted") as raised:
                client.insert_tx(conn, SendEmail("a"))
        assert isinstance(raised.value.__cause__, psycopg.errors.InFailedSqlTransaction)
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("SELECT 1")
        conn.rollback()
    finally:
        conn.close()
    assert postgres_database.job_count() == 0


def test_a_connection_to_a_database_without_rivers_schema(
    postgres_database: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    other = new_database("postgres", request, tmp_path)
    import psycopg

    with psycopg.connect(postgres_dsn(other)) as conn, pyriver.Client(postgres_database.url) as client:
        with pytest.raises(pyriver.DatabaseError, match="river_job"):
            client.insert_tx(conn, SendEmail("a"))


def test_a_sqlite_connection_from_another_thread_is_the_drivers_error(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    database = new_database("sqlite", request, tmp_path)
    with pyriver.Client(database.url) as client:
        client.migrate()
    conn = sqlite_module().connect(database.sqlite_path)
    raised: list[BaseException] = []

    def insert() -> None:
        try:
            client.insert_tx(conn, SendEmail("a"))
        except BaseException as exc:
            raised.append(exc)

    with pyriver.Client(database.url) as client:
        thread = threading.Thread(target=insert)
        thread.start()
        thread.join()
    conn.close()
    assert isinstance(raised[0], pyriver.DatabaseError)
    assert "thread" in str(raised[0].__cause__)
    assert database.job_count() == 0


@pytest.mark.skipif(sqlite3.sqlite_version_info >= (3, 45), reason="this Python's SQLite runs River's schema")
def test_an_sqlite_too_old_for_rivers_schema_is_refused_clearly(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    database = new_database("sqlite", request, tmp_path)
    conn = sqlite3.connect(database.sqlite_path)
    try:
        with pyriver.Client(database.url) as client:
            with pytest.raises(pyriver.InvalidArgumentError, match="3.45") as raised:
                client.on(conn)
        assert raised.value.param == "conn" and "pysqlite3" in str(raised.value)
    finally:
        conn.close()


# --- asyncio -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ASYNC_KINDS)
def test_async_connections_commit_and_roll_back_with_the_application(postgres_database: Database, kind: str) -> None:
    async def scenario() -> None:
        app = await open_async(kind, postgres_database)
        try:
            async with app.transaction():
                await app.execute("CREATE TABLE orders (id integer PRIMARY KEY)")
            async with pyriver.AsyncClient(postgres_database.url) as client:
                async with app.transaction():
                    await app.execute("INSERT INTO orders VALUES (1)")
                    await client.insert_tx(app.conn, SendEmail("rolled back"))
                    raise RollBack
                assert postgres_database.job_count() == 0
                async with app.transaction():
                    await app.execute("INSERT INTO orders VALUES (2)")
                    results = await client.insert_many_tx(app.conn, [SendEmail("a"), SendEmail("b")])
                    assert (await client.on(app.conn).job_get(results[0].job.id)).id == results[0].job.id
                assert postgres_database.job_count() == 2
                assert postgres_database.scalar("SELECT string_agg(id::text, ',') FROM orders") == "2"
        finally:
            await app.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("kind", ASYNC_KINDS)
def test_async_statements_run_on_the_event_loop_without_blocking_it(postgres_database: Database, kind: str) -> None:
    async def scenario() -> tuple[int, int]:
        app = await open_async(kind, postgres_database)
        ticks = 0
        inserting = True

        async def ticker() -> None:
            nonlocal ticks
            while inserting:
                ticks += 1
                await asyncio.sleep(0)

        try:
            async with pyriver.AsyncClient(postgres_database.url) as client:
                ticking = asyncio.create_task(ticker())
                async with app.transaction():
                    for _ in range(20):
                        await client.insert_tx(app.conn, SendEmail("a"))
                inserting = False
                await ticking
        finally:
            await app.close()
        return ticks, postgres_database.job_count()

    ticks, jobs = asyncio.run(scenario())
    assert jobs == 20
    assert ticks > 20  # the loop kept running other tasks between and during the statements


def test_async_database_errors_carry_the_drivers_exception(postgres_database: Database) -> None:
    import psycopg

    async def scenario() -> None:
        conn = await psycopg.AsyncConnection.connect(postgres_dsn(postgres_database))
        try:
            with pytest.raises(psycopg.errors.DivisionByZero):
                await conn.execute("SELECT 1/0")
            async with pyriver.AsyncClient(postgres_database.url) as client:
                with pytest.raises(pyriver.DatabaseError) as raised:
                    await client.insert_tx(conn, SendEmail("a"))
            assert isinstance(raised.value.__cause__, psycopg.errors.InFailedSqlTransaction)
        finally:
            await conn.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("kind", ASYNC_KINDS)
def test_every_transactional_operation_on_async_connections(postgres_database: Database, kind: str) -> None:
    async def scenario() -> None:
        app = await open_async(kind, postgres_database)
        try:
            async with pyriver.AsyncClient(postgres_database.url) as client:
                async with app.transaction():
                    ops = client.on(app.conn)
                    unique = pyriver.InsertOpts(unique_opts=pyriver.UniqueOpts(by_args=True), tags=["one", "two"])
                    first = (await ops.insert(SendEmail("a"), unique)).job
                    assert (await ops.insert(SendEmail("a"), unique)).unique_skipped_as_duplicate
                    assert first.tags == ["one", "two"] and first.unique_key is not None
                    second, third = (r.job for r in await ops.insert_many([SendEmail("b"), SendEmail("c")]))
                    assert (
                        await ops.insert_many_fast(
                            [SendEmail("d"), (SendEmail("e"), pyriver.InsertOpts(queue="other"))]
                        )
                        == 2
                    )
                    listed = await ops.job_list(kinds=["send_email"], states=["available"], limit=3)
                    assert [job.id for job in listed.jobs] == [first.id, second.id, third.id]
                    assert (await ops.job_cancel(first.id)).state is pyriver.JobState.CANCELLED
                    assert (await ops.job_retry(first.id)).state is pyriver.JobState.AVAILABLE
                    assert (await ops.job_delete(second.id)).id == second.id
                    assert [job.id for job in await ops.job_delete_many(ids=[third.id])] == [third.id]
                    await app.execute(
                        "INSERT INTO river_queue (name, created_at, metadata, updated_at) "
                        "VALUES ('other', now(), '{}', now())"
                    )
                    await ops.queue_pause("other")
                    assert (await ops.queue_get("other")).paused_at is not None
                    assert [queue.name for queue in await ops.queue_list()] == ["other"]
                    await ops.queue_resume("other")
                    assert (await ops.queue_update("other", metadata={"a": 1})).paused_at is None
                async with app.transaction():
                    assert (await ops.migrate_validate()).ok
                    assert await ops.migrate_down(target_version=0)
                    assert not (await ops.migrate_validate()).ok
                    raise RollBack
                async with app.transaction():
                    assert (await ops.migrate_validate()).ok
            assert postgres_database.job_count() == 3
        finally:
            await app.close()

    asyncio.run(scenario())


# --- one SQLite library per file per process ---------------------------------


def test_pyriver_refuses_a_sqlite_file_another_library_has_open(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    database = new_database("sqlite", request, tmp_path)
    with pyriver.Client(database.url) as client:
        client.migrate()
    app_conn = sqlite_module().connect(database.sqlite_path)
    try:
        with pyriver.Client(database.url) as client:
            with pytest.raises(pyriver.DatabaseError, match="another SQLite library"):
                client.insert(SendEmail("a"))
    finally:
        app_conn.close()
    assert database.job_count() == 0
    with pyriver.Client(database.url) as client:
        client.insert(SendEmail("b"))
    assert database.job_count() == 1


def test_client_on_refuses_a_sqlite_file_pyriver_has_open(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    database = new_database("sqlite", request, tmp_path)
    with pyriver.Client(database.url) as client:
        client.migrate()
        client.insert(SendEmail("pyriver's own connection is open now"))
        app_conn = sqlite_module().connect(database.sqlite_path)
        try:
            with pytest.raises(pyriver.InvalidArgumentError, match="two SQLite libraries") as raised:
                client.insert_tx(app_conn, SendEmail("a"))
            assert raised.value.param == "conn"
            with pytest.raises(pyriver.DatabaseError, match="another SQLite library"):
                client.insert(SendEmail("b"))  # and pyriver's own connection stops writing
        finally:
            app_conn.close()
    assert database.job_count() == 1


def test_bad_input_raises_exactly_what_client_insert_raises(postgres_database: Database) -> None:
    import psycopg

    bad_inputs: list[tuple[Any, Any]] = [
        ({"to": "no kind"}, None),
        (SendEmail("a"), pyriver.InsertOpts(priority=0)),
        (SendEmail("a"), pyriver.InsertOpts(priority=9)),
        (SendEmail("a"), pyriver.InsertOpts(max_attempts=0)),
        (SendEmail("a"), pyriver.InsertOpts(queue="")),
        (SendEmail("a"), pyriver.InsertOpts(queue="bad queue name!")),
        (SendEmail("a"), pyriver.InsertOpts(tags=["not a tag!"])),
        (SendEmail("a"), pyriver.InsertOpts(metadata="not a dict")),  # type: ignore[arg-type]
        (SendEmail("a"), pyriver.InsertOpts(unique_opts=pyriver.UniqueOpts(by_period=0.5))),
        (SendEmail("a"), pyriver.InsertOpts(unique_opts=pyriver.UniqueOpts(by_args=True, by_state=["completed"]))),
        (SendEmail("a"), "not options"),
    ]

    def outcome(insert: Any, args: Any, opts: Any) -> tuple[type, str, str]:
        with pytest.raises(pyriver.PyRiverError) as raised:
            insert(args, opts)
        return type(raised.value), getattr(raised.value, "param", ""), str(raised.value)

    with pyriver.Client(postgres_database.url) as client, psycopg.connect(postgres_dsn(postgres_database)) as conn:
        for args, opts in bad_inputs:
            assert outcome(client.on(conn).insert, args, opts) == outcome(client.insert, args, opts), (args, opts)
        conn.execute("SELECT 1")  # the transaction is still usable
    assert postgres_database.job_count() == 0


@pytest.mark.usefixtures("statement_path")
def test_an_interrupted_operation_writes_nothing_and_leaves_the_client_usable(
    postgres_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the application's driver runs one of River's statements:
    the operation is abandoned in Go, the exception reaches the caller."""
    import psycopg
    from pyriver._appconn import adapters

    def interrupted(self: Any, statement: dict[str, Any]) -> dict[str, Any]:
        raise KeyboardInterrupt

    with pyriver.Client(postgres_database.url) as client, psycopg.connect(postgres_dsn(postgres_database)) as conn:
        with monkeypatch.context() as patch:
            patch.setattr(adapters.PsycopgAdapter, "execute", interrupted)
            with pytest.raises(KeyboardInterrupt):
                client.insert_tx(conn, SendEmail("interrupted"))
        conn.rollback()
        client.insert_tx(conn, SendEmail("after"))
        conn.commit()
    assert postgres_database.scalar("SELECT string_agg(args->>'to', ',') FROM river_job") == "after"


@pytest.mark.parametrize(
    "answer",
    [pytest.param(ValueError("raised by the function itself"), id="raises"), pytest.param("text", id="not-bytes")],
)
def test_a_python_function_that_fails_when_go_calls_it_ends_the_operation(
    postgres_database: Database, answer: Any
) -> None:
    """Go calls Python on the calling thread (app.run) with a function that
    raises, or answers with something other than bytes: River's statement
    fails, nothing more reaches Python, and what was raised is handed to
    keep, not left set on the thread or lost."""
    from pyriver._bridge import calls, methods

    statements: list[bytes] = []
    kept: list[BaseException] = []

    def execute(statement: bytes) -> Any:
        statements.append(statement)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    with pyriver.Client(postgres_database.url) as client:
        dialect = {"database": "postgres", "pyformat": True}
        step = calls.app_run(client._target(), dialect, methods.JOB_GET, {"id": 1}, execute, kept.append)
        with pytest.raises(pyriver.PyRiverError, match="abandoned"):
            calls.app_result(step)
        assert client.job_list().jobs == []  # the client works on
    assert len(statements) == 1 and json.loads(statements[0])["sql"].startswith("-- name: JobGetByID")
    if isinstance(answer, BaseException):
        assert kept == [answer]
    else:
        assert [type(error) for error in kept] == [TypeError]  # CPython's own complaint about the answer
