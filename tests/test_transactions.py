"""atomic(): commit, rollback, savepoints, set_rollback, timeouts, task isolation, cancellation."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from oxyde import Field, Model, TransactionTimeoutError, atomic, db, execute_raw
from oxyde.db import AsyncDatabase, AsyncTransaction, get_active_transaction, transaction
from oxyde.db.routing import resolve_client
from oxyde.db.transaction import AtomicTransactionContext
from oxyde.exceptions import ManagerError


class TxAccount(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    balance: int = 0

    class Meta:
        is_table = True
        table_name = "tx_account"


async def names() -> list[str]:
    return sorted(await TxAccount.objects.values_list("name", flat=True).all())


async def test_commit(database: AsyncDatabase) -> None:
    async with transaction.atomic() as tx:
        await TxAccount.objects.create(name="a")
        assert get_active_transaction() is tx.transaction
        assert isinstance(tx.id, int) and tx.backend == database.backend
    assert get_active_transaction() is None
    assert await names() == ["a"]


async def test_exception_rolls_back_and_propagates(database: AsyncDatabase) -> None:
    with pytest.raises(ZeroDivisionError):
        async with atomic():
            await TxAccount.objects.create(name="a")
            assert await names() == ["a"]  # visible inside
            1 / 0  # noqa: B018
    assert await names() == []


async def test_nested_savepoints(database: AsyncDatabase) -> None:
    async with atomic():
        await TxAccount.objects.create(name="outer")
        with pytest.raises(RuntimeError, match="skip"):
            async with atomic() as inner:
                assert inner._savepoint == "sp_2"
                await TxAccount.objects.create(name="inner")
                async with atomic() as deeper:
                    assert deeper._savepoint == "sp_3"
                    await TxAccount.objects.create(name="deeper")
                raise RuntimeError("skip")
        async with atomic():
            await TxAccount.objects.create(name="kept")
    assert await names() == ["kept", "outer"]


async def test_set_rollback_marks_whole_transaction(database: AsyncDatabase) -> None:
    async with atomic() as tx:
        await TxAccount.objects.create(name="a")
        async with atomic() as inner:
            inner.set_rollback(True)
            await TxAccount.objects.create(name="b")
        assert await names() == ["a", "b"]  # the savepoint was released normally
    assert await names() == []
    async with atomic() as tx:
        await TxAccount.objects.create(name="c")
        tx.set_rollback(True)
        tx.set_rollback(False)
    assert await names() == ["c"]


async def test_set_rollback_without_transaction() -> None:
    with pytest.raises(RuntimeError, match="No active transaction to mark for rollback"):
        atomic().set_rollback()


async def test_context_misuse() -> None:
    ctx = atomic()
    with pytest.raises(RuntimeError, match=r"transaction\.atomic context not entered"):
        _ = ctx.transaction
    with pytest.raises(RuntimeError, match=r"transaction\.atomic context mismatch"):
        await ctx.__aexit__(None, None, None)
    with pytest.raises(TypeError):

        @atomic()  # type: ignore[operator]
        async def f() -> None: ...


async def test_timeout_argument_validation() -> None:
    with pytest.raises(ValueError, match="Duration must be non-negative"):
        atomic(timeout=-1)
    with pytest.raises(TypeError):
        atomic(timeout="1")  # type: ignore[arg-type]
    assert atomic(timeout=timedelta(seconds=2)).timeout == 2.0
    assert issubclass(TransactionTimeoutError, TimeoutError)


async def test_unknown_alias() -> None:
    with pytest.raises(KeyError, match="Connection 'ghost' is not registered"):
        async with atomic(using="ghost"):
            pass


async def test_timeout_rolls_back(database: AsyncDatabase) -> None:
    with pytest.raises(TransactionTimeoutError, match="exceeded timeout"):
        async with atomic(timeout=0.05):
            await TxAccount.objects.create(name="slow")
            await asyncio.sleep(0.1)
            await TxAccount.objects.count()
    assert await names() == []


async def test_expired_transaction_refuses_statements(database: AsyncDatabase) -> None:
    async with atomic(timeout=0.01) as tx:
        await asyncio.sleep(0.05)
        with pytest.raises(TransactionTimeoutError):
            await TxAccount.objects.count()
        with pytest.raises(TransactionTimeoutError, match="can no longer be used"):
            await TxAccount.objects.count()
        assert tx.transaction.expired
    assert await names() == []


async def test_other_tasks_do_not_join(database: AsyncDatabase) -> None:
    async with atomic() as tx:
        await TxAccount.objects.create(name="inside")

        async def probe() -> object:
            return get_active_transaction()

        assert await asyncio.create_task(probe()) is None
        assert await resolve_client(None, None) is tx.transaction
        # an explicit client= runs in the transaction from anywhere
        count = await asyncio.create_task(TxAccount.objects.count(client=tx))
        assert count == 1


async def test_resolve_client_rules(database: AsyncDatabase) -> None:
    with pytest.raises(ManagerError, match="Provide either 'client' or 'using', not both"):
        await resolve_client("default", database)
    assert await resolve_client(None, database) is database
    assert await resolve_client(None, None) is database
    with pytest.raises(KeyError, match="Connection 'zz' is not registered"):
        await resolve_client("zz", None)


async def test_async_transaction_directly(database: AsyncDatabase) -> None:
    tx = AsyncTransaction(database)
    with pytest.raises(RuntimeError, match="Transaction not started"):
        _ = tx.id
    with pytest.raises(RuntimeError, match="Transaction not started"):
        await tx.execute({"proto": 1, "op": "raw", "sql": "SELECT 1", "params": []})
    async with tx:
        assert get_active_transaction() is None  # not registered as active
        await TxAccount.objects.create(name="direct", client=tx)
    assert await names() == ["direct"]


async def test_explicit_database_for_atomic_context(database: AsyncDatabase) -> None:
    async with AtomicTransactionContext(database=database) as tx:
        await execute_raw("SELECT 1", client=tx)
        await TxAccount.objects.create(name="x")
    assert await names() == ["x"]


async def test_cancellation_rolls_back(database: AsyncDatabase) -> None:
    started = asyncio.Event()

    async def work() -> None:
        async with atomic():
            await TxAccount.objects.create(name="cancelled")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(work())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await names() == []
    async with atomic():  # the pool still hands out clean connections
        await TxAccount.objects.create(name="after")
    assert await names() == ["after"]


SLOW_SQL = {
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) SELECT count(*) FROM c"
    ),
    "postgres": "SELECT pg_sleep(1.5)",
    "mysql": "SELECT SLEEP(1.5)",
}


async def test_cancellation_during_a_statement_is_prompt(database: AsyncDatabase, dialect: str) -> None:
    loop = asyncio.get_running_loop()

    async def work() -> None:
        async with atomic():
            await TxAccount.objects.create(name="gone")
            await execute_raw(SLOW_SQL[dialect])

    task = asyncio.create_task(work())
    await asyncio.sleep(0.3)
    start = loop.time()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert loop.time() - start < 0.2
    assert await names() == []  # rolled back once the connection was free
    # The rollback waits for the slow statement; the next test must not meet its lock.
    for _ in range(1200):
        stats = db.pool_stats()
        if stats.transactions == 0 and stats.in_use == 0:
            break
        await asyncio.sleep(0.05)
    assert db.pool_stats().in_use == 0
