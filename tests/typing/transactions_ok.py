# pyright: strict
"""Connections, transactions and raw SQL as an application uses them."""

from __future__ import annotations

from typing import Any

from app_models import Author
from typing_extensions import assert_type

from oxyde import AsyncDatabase, atomic, db, execute_raw, get_connection
from oxyde.db.transaction import AtomicTransactionContext


async def main() -> None:
    await db.init(default="sqlite:///app.db")
    database = await get_connection()
    assert_type(database, AsyncDatabase)
    async with atomic() as tx:
        assert_type(tx, AtomicTransactionContext)
        author = await Author.objects.create(name="ann", client=tx)
        assert_type(author, Author)
        assert_type(await author.save(client=tx), Author)
    async with atomic(using="default", timeout=5):
        await Author.objects.filter(id=author.id).update(email="a@x")
    rows = await execute_raw("SELECT 1", [])
    assert_type(rows, list[dict[str, Any]])
    await db.close()
