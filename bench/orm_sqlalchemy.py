"""SQLAlchemy 2 async ORM on the same drivers as the raw baseline (aiosqlite, asyncpg, asyncmy).

Idiomatic 2.0 style: one AsyncSession per unit of work, ``select()`` with
``selectinload`` / ``joinedload`` for relations, bulk UPDATE/DELETE statements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    contains_eager,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool

import common as c

SCHEMES = {"sqlite": "sqlite+aiosqlite:///", "postgres": "postgresql+asyncpg://", "mysql": "mysql+asyncmy://"}


class Base(DeclarativeBase):
    pass


post_tags = Table(
    "post_tags",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id")),
    Column("tag_id", ForeignKey("tags.id")),
)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    age: Mapped[int]
    active: Mapped[bool]
    posts: Mapped[list[Post]] = relationship(back_populates="author")


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    views: Mapped[int]
    published: Mapped[bool]
    author: Mapped[User] = relationship(back_populates="posts")
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


Ops = dict[str, Callable[[int], Awaitable[Any]]]


def sa_url(database: str, url: str) -> str:
    if database == "sqlite":
        return SCHEMES["sqlite"] + url.removeprefix("sqlite:///")
    return SCHEMES[database] + url.split("://", 1)[1]


def operations(session: async_sessionmaker[AsyncSession]) -> Ops:
    async def scalars(stmt: Any) -> list[Any]:
        async with session() as s:
            return list((await s.scalars(stmt)).all())

    async def rows(stmt: Any) -> list[Any]:
        async with session() as s:
            return list((await s.execute(stmt)).all())

    async def scalar(stmt: Any) -> Any:
        async with session() as s:
            return await s.scalar(stmt)

    async def write(stmt: Any) -> int:
        async with session.begin() as s:
            return (await s.execute(stmt)).rowcount

    async def get(i: int) -> Any:
        async with session() as s:
            return await s.get(User, i)

    def concurrent(n: int) -> Callable[[int], Awaitable[Any]]:
        async def run(i: int) -> Any:
            return await asyncio.gather(*(get(c.pk(i * n + k)) for k in range(n)))

        return run

    def complex_filter(i: int) -> Any:
        a = c.complex_age(i)
        cond = (User.id <= 300) & or_(User.age < a, User.age > a + 40) & ~(User.active == False)  # noqa: E712
        return scalars(select(User).where(cond))

    def groups(i: int) -> Any:
        return rows(
            select(
                Post.author_id,
                func.count(Post.id).label("n"),
                func.sum(Post.views).label("total"),
                func.avg(Post.views).label("avg"),
                func.max(Post.views).label("mx"),
            )
            .where(Post.author_id <= c.group_users(i))
            .group_by(Post.author_id)
        )

    async def create(i: int) -> Any:
        name, email, age, active = c.new_user(i)
        async with session.begin() as s:
            user = User(name=name, email=email, age=age, active=active)
            s.add(user)
        return user

    async def bulk(i: int) -> Any:
        rows_ = [c.new_user(i * 100 + k, "bulk") for k in range(100)]
        async with session.begin() as s:
            users = [User(name=n, email=e, age=a, active=act) for n, e, a, act in rows_]
            s.add_all(users)
        return users

    def join_simple(i: int) -> Any:
        first = c.post_window(i)
        return scalars(select(Post).options(joinedload(Post.author)).where(Post.id >= first, Post.id < first + 20))

    def join_filter(i: int) -> Any:
        stmt = (
            select(Post)
            .join(Post.author)
            .options(contains_eager(Post.author))
            .where(User.name == f"user{c.author_of(i)}", Post.published == True)  # noqa: E712
        )
        return scalars(stmt)

    def prefetch(i: int) -> Any:
        first = c.prefetch_first(i)
        return scalars(select(User).options(selectinload(User.posts)).where(User.id >= first, User.id < first + 10))

    def nested(i: int) -> Any:
        first = c.nested_first(i)
        load = selectinload(User.posts).selectinload(Post.tags)
        return scalars(select(User).options(load).where(User.id >= first, User.id < first + 5))

    ops: Ops = {
        "select_pk": lambda i: get(c.pk(i)),
        "select_filter": lambda i: scalars(
            select(User).where(User.age >= c.age_from(i), User.age <= c.age_from(i) + 5)
        ),
        "filter_simple": lambda i: scalars(
            select(Post).where(Post.author_id == c.author_of(i), Post.published == True)  # noqa: E712
        ),
        "filter_complex": complex_filter,
        "filter_in": lambda i: scalars(select(User).where(User.id.in_(c.in_ids(i)))),
        "order_limit": lambda i: scalars(
            select(User)
            .where(User.active == True)  # noqa: E712
            .order_by(User.age.desc(), User.id)
            .offset(c.page(i))
            .limit(10)
        ),
        "aggregate_count": lambda i: scalar(select(func.count()).select_from(User).where(User.age >= c.count_age(i))),
        "aggregate_mixed": groups,
        "join_simple": join_simple,
        "join_filter": join_filter,
        "prefetch_related": prefetch,
        "nested_prefetch": nested,
        "insert_single": create,
        "insert_bulk_100": bulk,
        "update_single": lambda i: write(update(User).where(User.id == c.pk(i)).values(age=c.new_age(i))),
        "update_bulk": lambda i: write(
            update(Post).where(Post.author_id == c.author_of(i)).values(views=Post.views + 1)
        ),
        "delete_single": lambda i: write(delete(User).where(User.id == c.DELETE_BASE_ID + i)),
    }
    for n in c.CONCURRENCY:
        ops[f"concurrent_{n}"] = concurrent(n)
    return ops


async def open_implementation(database: str, url: str) -> tuple[Ops, Callable[[], Awaitable[None]]]:
    engine = create_async_engine(
        sa_url(database, url), poolclass=AsyncAdaptedQueuePool, pool_size=c.POOL_SIZE, max_overflow=0
    )
    if database == "sqlite":
        from sqlalchemy import event

        @event.listens_for(engine.sync_engine, "connect")
        def pragmas(conn: Any, _record: Any) -> None:
            # The same settings the raw baseline and Oxyde use.
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA busy_timeout = 5000")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

    return operations(async_sessionmaker(engine, expire_on_commit=False)), engine.dispose
