"""Random and mutated IR bytes never crash the core: they raise a typed error."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import msgpack
import pytest

from oxyde import _core
from oxyde._codec import pack_ir
from oxyde.exceptions import InvalidIRError, OxydeError

SEEDS = [
    {"proto": 1, "op": "select", "table": "t", "cols": ["a", "b"], "limit": 3, "order_by": [["a", "DESC"]]},
    {
        "proto": 1,
        "op": "select",
        "table": "t",
        "cols": [],
        "filter_tree": {
            "type": "and",
            "conditions": [
                {"type": "condition", "field": "a", "operator": "IN", "value": [1, 2]},
                {"type": "not", "condition": {"type": "condition", "field": "b", "operator": "LIKE", "value": "x%"}},
            ],
        },
    },
    {"proto": 1, "op": "insert", "table": "t", "cols": ["a"], "rows": [[1], [None]], "returning": True},
    {
        "proto": 1,
        "op": "update",
        "table": "t",
        "values": {"a": {"type": "binary", "op": "+", "left": {"type": "column", "name": "a"}, "right": 1}},
    },
    {
        "proto": 1,
        "op": "delete",
        "table": "t",
        "filter_tree": {"type": "condition", "field": "a", "operator": "=", "value": None},
    },
    {"proto": 1, "op": "raw", "sql": "SELECT ?", "params": [1]},
    {"proto": 1, "op": "create_table", "table": "t", "columns": [{"name": "a", "type": {"kind": "big_integer"}}]},
]

DIALECTS = ["sqlite", "postgres", "mysql"]
CASES = 1500


def _mutations(rng: random.Random) -> list[bytes]:
    out: list[bytes] = []
    for _ in range(CASES):
        seed = pack_ir(rng.choice(SEEDS))
        kind = rng.randrange(4)
        if kind == 0:
            out.append(bytes(rng.randrange(256) for _ in range(rng.randrange(64))))
        elif kind == 1:
            out.append(seed[: rng.randrange(len(seed))])
        elif kind == 2:
            data = bytearray(seed)
            for _ in range(rng.randrange(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            out.append(bytes(data))
        else:
            data = bytearray(seed)
            pos = rng.randrange(len(data))
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
            out.append(bytes(data))
    return out


def _acceptable(exc: BaseException) -> bool:
    # Undecodable IR is InvalidIRError; a decodable but unsupported shape may be a typed render error.
    return isinstance(exc, (OxydeError, RuntimeError))


def test_render_survives_random_and_mutated_ir() -> None:
    rng = random.Random(20240229)
    invalid = 0
    for data in _mutations(rng):
        for dialect in DIALECTS:
            try:
                _core.render(data, dialect)
            except InvalidIRError:
                invalid += 1
            except Exception as exc:
                assert _acceptable(exc), f"{type(exc).__name__}: {exc} for {data!r}"
    assert invalid > CASES  # most garbage is recognised as such


def test_render_rejects_non_ir_payloads() -> None:
    for payload in (
        b"",
        b"\xc1",
        msgpack.packb([1, 2]),
        msgpack.packb({"proto": 99, "op": "select", "table": "t"}),
        msgpack.packb({"proto": 1, "op": "nope"}),
        msgpack.packb({"proto": 1}),
    ):
        with pytest.raises(InvalidIRError):
            _core.render(payload, "sqlite")


@pytest.fixture
async def sqlite_pool() -> AsyncIterator[str]:
    await _core.init_pool("fuzz", "sqlite::memory:", None, True)
    yield "fuzz"
    await _core.close_pool("fuzz")


async def test_execute_survives_random_and_mutated_ir(sqlite_pool: str) -> None:
    rng = random.Random(7)
    for data in _mutations(rng)[:800]:
        try:
            await _core.execute(sqlite_pool, data)
        except Exception as exc:
            assert _acceptable(exc), f"{type(exc).__name__}: {exc} for {data!r}"
    assert await _core.execute(sqlite_pool, pack_ir({"proto": 1, "op": "raw", "sql": "SELECT 1", "params": []}))
