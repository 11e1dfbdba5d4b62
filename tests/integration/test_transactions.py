"""Application transactions: River operations and the application's SQL
commit or roll back together."""

from __future__ import annotations

import pytest

import pyriver
from pyriver import JobState
from support.databases import Database
from support.jobargs import SendEmail


def placeholder(database: Database, position: int) -> str:
    return f"${position}" if database.driver == "postgres" else "?"


@pytest.fixture
def orders(client: pyriver.Client) -> str:
    with client.transaction() as tx:
        tx.execute("CREATE TABLE orders (id integer PRIMARY KEY, note text NOT NULL)")
    return "orders"


def test_commit_keeps_job_and_row(client: pyriver.Client, database: Database, orders: str) -> None:
    p1, p2 = placeholder(database, 1), placeholder(database, 2)
    with client.transaction() as tx:
        assert tx.execute(f"INSERT INTO orders (id, note) VALUES ({p1}, {p2})", 1, "first") == 1
        job = tx.insert(SendEmail("buyer@example.com")).job
        assert [j.id for j in tx.job_list().jobs] == [job.id]
        assert tx.query(f"SELECT id, note FROM orders WHERE id = {p1}", 1).rows == [(1, "first")]
    assert client.job_get(job.id).state is JobState.AVAILABLE
    with client.transaction() as tx:
        result = tx.query("SELECT id, note FROM orders")
    assert result.columns == ["id", "note"] and result.rows == [(1, "first")]


def test_exception_rolls_back_job_and_row(client: pyriver.Client, database: Database, orders: str) -> None:
    p1, p2 = placeholder(database, 1), placeholder(database, 2)
    with pytest.raises(RuntimeError, match="payment failed"):
        with client.transaction() as tx:
            tx.execute(f"INSERT INTO orders (id, note) VALUES ({p1}, {p2})", 2, "doomed")
            tx.insert_many([SendEmail("a"), SendEmail("b")])
            raise RuntimeError("payment failed")
    assert database.job_count() == 0
    assert database.scalar("SELECT count(*) FROM orders") == "0"


def test_job_operations_inside_a_transaction(client: pyriver.Client, database: Database) -> None:
    job = client.insert(SendEmail("a")).job
    with client.transaction() as tx:
        assert tx.job_cancel(job.id).state is JobState.CANCELLED
        assert tx.job_get(job.id).state is JobState.CANCELLED
        tx.rollback()
    assert client.job_get(job.id).state is JobState.AVAILABLE
    with client.transaction() as tx:
        tx.job_delete(job.id)
    with pytest.raises(pyriver.NotFoundError):
        client.job_get(job.id)


def test_finished_transaction_cannot_be_used(client: pyriver.Client) -> None:
    with client.transaction() as tx:
        pass
    with pytest.raises(pyriver.ClientClosedError, match="finished"):
        tx.insert(SendEmail("late"))


def test_sql_errors_are_database_errors(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.DatabaseError):
        with client.transaction() as tx:
            tx.execute("INSERT INTO no_such_table VALUES (1)")


def test_closing_the_client_rolls_back_open_transactions(database: Database) -> None:
    client = pyriver.Client(database.url)
    client.migrate()
    tx = client.transaction()
    tx.insert(SendEmail("never"))
    client.close()
    with pyriver.Client(database.url) as reopened:
        assert reopened.job_list().jobs == []


def test_a_client_call_blocked_by_its_own_transaction_times_out(database: Database) -> None:
    """On SQLite the client's one connection is held by the open transaction,
    so a call on the client from the same thread cannot proceed; it must fail
    after the operation timeout instead of hanging the program."""
    with pyriver.Client(database.url, operation_timeout=0.5) as client:
        client.migrate()
        with client.transaction() as tx:
            tx.insert(SendEmail("in the transaction"))
            if database.driver == "sqlite":
                with pytest.raises(pyriver.DatabaseError, match="operation timeout"):
                    client.insert(SendEmail("outside"))
            else:  # PostgreSQL has a pool: the call simply proceeds
                client.insert(SendEmail("outside"))
        assert len(client.job_list().jobs) == (1 if database.driver == "sqlite" else 2)


def test_query_results_keep_integers_of_any_size(client: pyriver.Client, database: Database) -> None:
    """Numbers of the application's own queries reach Python exact, beyond
    64 bits too (PostgreSQL's numeric; SQLite's integers stop at 64 bits)."""
    big = "123456789012345678901234567890" if database.driver == "postgres" else str(2**63 - 1)
    cast = "::numeric" if database.driver == "postgres" else ""
    with client.transaction() as tx:
        assert tx.query(f"SELECT {big}{cast} AS n").rows == [(int(big),)]
