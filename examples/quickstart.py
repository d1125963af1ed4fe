"""Oxyde in one file: a model, a SQLite database, and every everyday query.

Run it with `cargo xtask demo` (builds the package into .venv first) or,
once installed, `python examples/quickstart.py`.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from oxyde import Field, Model, atomic, create_tables, db, get_connection


class User(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str = Field(db_unique=True)
    age: int = 0

    class Meta:
        is_table = True
        table_name = "users"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await db.init(default=f"sqlite:///{Path(tmp) / 'quickstart.db'}")
        try:
            await create_tables(await get_connection())
            await tour()
        finally:
            await db.close()


async def tour() -> None:
    people = [("Ada", 36), ("Grace", 45), ("Linus", 17), ("Margaret", 33), ("Tim", 15)]
    for name, age in people:
        user = await User.objects.create(name=name, email=f"{name.lower()}@example.com", age=age)
        print(f"created  {user.name!r} id={user.id} age={user.age}")

    adults = await User.objects.filter(age__gte=18).order_by("-id").limit(10).all()
    print("adults, newest first:", [u.name for u in adults])

    ada = await User.objects.get(email="ada@example.com")
    print(f"got      {ada.name!r} (id={ada.id})")

    ada.age += 1
    await ada.save()
    print(f"saved    {ada.name!r}: age is now {ada.age}")

    updated = await User.objects.filter(age__lt=18).update(age=18)
    print(f"updated  {updated} minors to age 18")

    async with atomic():
        await User.objects.create(name="Barbara", email="barbara@example.com", age=29)
        await User.objects.filter(name="Tim").update(name="Timothy")
    print("committed a transaction: created Barbara, renamed Tim")

    deleted = await User.objects.filter(name="Margaret").delete()
    print(f"deleted  {deleted} row(s) named Margaret")

    print("count:", await User.objects.count())
    print("everyone:", [(u.name, u.age) for u in await User.objects.order_by("name").all()])


if __name__ == "__main__":
    asyncio.run(main())
