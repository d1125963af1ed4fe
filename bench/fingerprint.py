"""Results reduced to small comparable values, so each implementation is checked
to run the same query (same row count, same ids) on its first iteration.

Works on every result shape in the bench: ORM objects (attributes), dicts,
asyncpg records and plain tuples (the raw driver returns the id first, joined
rows carry the author id at column 6, prefetches are ``(row, children)`` pairs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

RAW_JOINED_AUTHOR_COLUMN = 6


def field(obj: Any, name: str, index: int) -> Any:
    if isinstance(obj, dict):
        return obj[name]
    if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
        return obj[index]
    value = getattr(obj, name, None)
    if value is not None:
        return value
    return obj[index]  # asyncpg records index by position too


def ident(obj: Any) -> int:
    return int(field(obj, "id", 0))


def is_pair(obj: Any) -> bool:
    return isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], list)


def parent_and_children(obj: Any, relation: str) -> tuple[Any, list[Any]]:
    if is_pair(obj):
        return obj[0], obj[1]
    return obj, list(getattr(obj, relation))


def rows(result: Any) -> tuple[int, int]:
    result = list(result)
    return len(result), sum(ident(r) for r in result)


def joined(result: Any) -> tuple[int, int, int]:
    result = list(result)
    authors = 0
    for r in result:
        author = getattr(r, "author", None)
        authors += ident(author) if author is not None else int(r[RAW_JOINED_AUTHOR_COLUMN])
    return len(result), sum(ident(r) for r in result), authors


def prefetch(result: Any) -> tuple[int, int, int]:
    users = [parent_and_children(u, "posts") for u in result]
    return len(users), sum(ident(u) for u, _ in users), sum(len(posts) for _, posts in users)


def nested(result: Any) -> tuple[int, int, int]:
    users = [parent_and_children(u, "posts") for u in result]
    posts = [parent_and_children(p, "tags") for _, ps in users for p in ps]
    return len(users), len(posts), sum(ident(t) for _, tags in posts for t in tags)


def groups(result: Any) -> tuple[int, int, int]:
    result = list(result)
    return len(result), sum(int(field(g, "n", 1)) for g in result), sum(int(field(g, "total", 2)) for g in result)


def number(value: Any) -> Any:
    return round(float(value), 3) if isinstance(value, (float, Decimal)) else value


def fingerprint(kind: str, result: Any) -> Any:
    """A JSON-friendly summary of one workload result."""
    if kind == "row":
        return [ident(result), str(field(result, "name", 1))]
    if kind in ("rows", "many"):
        return list(rows(result))
    if kind == "scalar":
        return number(result)
    if kind == "groups":
        return list(groups(result))
    if kind == "joined":
        return list(joined(result))
    if kind == "prefetch":
        return list(prefetch(result))
    if kind == "nested":
        return list(nested(result))
    if kind == "created":
        return 1 if result is not None else 0
    if kind == "affected":
        return len(result) if isinstance(result, list) else int(result)
    raise ValueError(f"unknown result kind {kind!r}")
