"""Type matrix: every field type of spec/types.md round-trips exactly on every dialect.

Per type and database: the values (edge values included) written through ``create``
and ``bulk_create`` read back equal and of the same Python type through model
queries, ``values()`` and ``execute_raw`` where the driver knows the type; an
equality filter finds exactly the row written; NULL works in the nullable twin
column; and ordering follows the value order where the type has one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

import pytest

from oxyde import Field
from types_support import TyStatus, same, type_model

I64_MIN, I64_MAX = -(2**63), 2**63 - 1
PLUS_5 = timezone(timedelta(hours=5, minutes=30))


@dataclass
class Case:
    name: str
    annotation: Any
    values: list[Any]
    field: dict[str, Any] = field(default_factory=dict)
    # None: no ordering test; else the key giving the expected ORDER BY order per dialect
    order: dict[str, Any] | None = None
    # dialects where the column type has no equality operator
    no_filter: tuple[str, ...] = ()
    model: Any = None

    def __post_init__(self) -> None:
        self.model = type_model(self.name, self.annotation, **self.field)


def _everywhere(key: Any) -> dict[str, Any]:
    return dict.fromkeys(("sqlite", "postgres", "mysql"), key)


def _ident(v: Any) -> Any:
    return v


_DECLARED = list(TyStatus)

CASES = [
    Case("int", int, [0, 1, -1, I64_MIN, I64_MAX, 42], order=_everywhere(_ident)),
    Case(
        "str",
        str,
        [
            "",
            "plain",
            "héllo wörld",
            "🎉👍🏽 emoji",
            "中文字符",
            "a'b\"c\\d%_",
            "line\nbreak\ttab",
            "x" * 255,
            "🎉" * 255,
        ],
    ),
    Case("str_len", str, ["", "abcde", "🎉🎉🎉🎉🎉", "ñaña!"], field={"max_length": 5}),
    Case(
        "float",
        float,
        [0.0, 1.5, -2.25, 0.1, 1 / 3, 1e308, -1e308, 5e-324, 2.2250738585072014e-308, 123456789.123456789],
        order=_everywhere(_ident),
    ),
    Case("bool", bool, [True, False], order=_everywhere(_ident)),
    Case(
        "datetime",
        datetime,
        [
            datetime(2024, 2, 29, 13, 14, 15, 123456),
            datetime(2024, 1, 1, 0, 0, 0, 1),
            datetime(1000, 1, 1),
            datetime(1, 1, 1),
            datetime(9999, 12, 31, 23, 59, 59, 999999),
        ],
        order=_everywhere(_ident),
    ),
    Case(
        "date",
        date,
        [date(2024, 2, 29), date(1, 1, 1), date(1000, 1, 1), date(9999, 12, 31)],
        order=_everywhere(_ident),
    ),
    Case(
        "time",
        time,
        [time(0, 0), time(12, 0, 0, 1), time(23, 59, 59, 999999), time(7, 8, 9)],
        order=_everywhere(_ident),
    ),
    Case(
        "timedelta",
        timedelta,
        [
            timedelta(0),
            timedelta(microseconds=1),
            -timedelta(microseconds=1),
            -timedelta(days=1, seconds=5),
            timedelta(days=10**8),
            -timedelta(days=10**8),
        ],
        order=_everywhere(_ident),
    ),
    Case(
        "uuid",
        uuid.UUID,
        [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1), uuid.UUID("12345678-9abc-4def-8123-456789abcdef")],
        order=_everywhere(lambda u: u.bytes),
    ),
    Case(
        "decimal",
        Decimal,
        [Decimal("0"), Decimal("1"), Decimal("-42"), Decimal("9999999999"), Decimal("-9999999999")],
        # SQLite stores decimals as TEXT: order is textual (types.md §11)
        order={"postgres": _ident, "mysql": _ident, "sqlite": str},
    ),
    Case(
        "decimal_ps",
        Decimal,
        [
            Decimal("0.0000000000"),
            Decimal("12.3400000000"),
            Decimal("-0.0000000001"),
            Decimal("1234567890123456789012345678.1234567890"),
            Decimal("-9999999999999999999999999999.9999999999"),
        ],
        field={"max_digits": 38, "decimal_places": 10},
        order={"postgres": _ident, "mysql": _ident, "sqlite": str},
    ),
    Case("bytes", bytes, [b"", b"\x00\x01\xff", bytes(range(256)), b"plain", "é🎉".encode()]),
    Case(
        "dict",
        dict[str, Any],
        [
            {},
            {"a": 1},
            {"nested": {"list": [1, 2.5, None, True, "x"], "deep": {"k": [{"z": []}]}}, "é🎉": "ü"},
            {"big": I64_MAX, "neg": I64_MIN},
        ],
    ),
    Case("list_int", list[int], [[], [1], [I64_MIN, 0, I64_MAX], list(range(10_000))]),
    Case("list_str", list[str], [[], ["a"], ["", "é🎉", "a'b\"c\\,{}"], [f"s{i}" for i in range(10_000)]]),
    Case(
        "list_str50",
        list[Annotated[str, Field(max_length=50)]],
        [[], ["x" * 50], ["a", "b"]],
    ),
    Case("list_float", list[float], [[], [1.5, -2.25, 1e308, 5e-324]]),
    Case("list_bool", list[bool], [[], [True, False, True]]),
    Case("list_uuid", list[uuid.UUID], [[], [uuid.UUID(int=1), uuid.UUID(int=2**128 - 1)]]),
    Case(
        "list_decimal",
        list[Annotated[Decimal, Field(max_digits=10, decimal_places=2)]],
        [[], [Decimal("1.50"), Decimal("-99999999.99")]],
    ),
    Case("list_date", list[date], [[], [date(2024, 2, 29), date(1, 1, 1)]]),
    Case(
        "list_datetime",
        list[datetime],
        [[], [datetime(2024, 2, 29, 13, 14, 15, 123456), datetime(9999, 12, 31, 23, 59, 59, 999999)]],
    ),
    Case("list_dict", list[dict[str, Any]], [[], [{"a": [1, {"b": None}]}, {}]]),
    Case(
        "enum",
        TyStatus,
        list(TyStatus),
        # native enums (PostgreSQL, MySQL ENUM) order by declaration; SQLite TEXT by text
        order={"postgres": _DECLARED.index, "mysql": _DECLARED.index, "sqlite": lambda s: s.value},
    ),
    Case("list_enum", list[TyStatus], [[], [TyStatus.LIVE, TyStatus.DRAFT], [TyStatus.QUOTED]]),
    Case("text", str, ["", "long " * 1000, "é🎉"], field={"db_type": "TEXT"}),
    Case("db_int4", int, [0, -(2**31), 2**31 - 1], field={"db_type": "INTEGER"}, order=_everywhere(_ident)),
    Case("db_numeric", Decimal, [Decimal("12.34"), Decimal("-99999999.99")], field={"db_type": "NUMERIC(10,2)"}),
    Case("db_varchar", str, ["", "12345678"], field={"db_type": "VARCHAR(8)"}),
    # PostgreSQL's json (unlike jsonb) has no equality operator
    Case("db_json_list", list[int], [[], [1, 2, 3]], field={"db_type": "JSON"}, no_filter=("postgres",)),
]

BY_NAME = {c.name: c for c in CASES}


def expected(case: Case, value: Any) -> Any:
    """What a model field reads back."""
    return value


def raw_expected(case: Case, value: Any) -> Any:
    """What ``values()`` yields: the typed core value, enums as their text."""
    if isinstance(value, TyStatus):
        return value.value
    if isinstance(value, list):
        return [raw_expected(case, v) for v in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_round_trip_and_filter(database: Any, dialect: str, case: Case) -> None:
    model = case.model
    made = [await model.objects.create(v=v, n=v) for v in case.values]
    made.append(await model.objects.create(v=case.values[0], n=None))
    bulk = await model.objects.bulk_create([model(v=v) for v in case.values])
    assert len(bulk) == len(case.values)

    rows = await model.objects.order_by("id").all()
    assert len(rows) == 2 * len(case.values) + 1
    for row, want in zip(rows, [*case.values, case.values[0], *case.values], strict=True):
        assert same(row.v, expected(case, want)), (row.v, want)
    for row, want in zip(rows, [*case.values, None], strict=False):
        assert same(row.n, want), (row.n, want)

    # values(): typed values straight from the core
    got = await model.objects.order_by("id").values("v", "n").all()
    for item, want in zip(got, case.values, strict=False):
        assert same(item["v"], raw_expected(case, want)), (item["v"], want)
        assert same(item["n"], raw_expected(case, want)), (item["n"], want)
    assert got[len(case.values)]["n"] is None

    # NULL in the nullable twin
    nulls = await model.objects.filter(n__isnull=True).count()
    assert nulls == len(case.values) + 1
    assert await model.objects.filter(n=None).count() == nulls

    if dialect not in case.no_filter:
        for obj, v in zip(made, case.values, strict=False):
            ids = await model.objects.filter(n=v).values_list("id", flat=True).all()
            assert ids == [obj.id], (v, ids)


ORDERED = [c for c in CASES if c.order]


@pytest.mark.parametrize("case", ORDERED, ids=[c.name for c in ORDERED])
async def test_order_by(database: Any, dialect: str, case: Case) -> None:
    model = case.model
    await model.objects.bulk_create([model(v=v) for v in reversed(case.values)])
    assert case.order is not None
    key = case.order[dialect]
    got = await model.objects.order_by("v").values_list("v", flat=True).all()
    want = sorted(
        (raw_expected(case, v) for v in case.values), key=lambda v: key(TyStatus(v) if case.name == "enum" else v)
    )
    assert [raw_expected(case, v) for v in got] == want
    got = await model.objects.order_by("-v").values_list("v", flat=True).all()
    assert got == list(reversed(want))


def _quoted(table: str, dialect: str) -> str:
    return f"`{table}`" if dialect == "mysql" else f'"{table}"'


@pytest.mark.parametrize(
    "name",
    ["int", "str", "float", "bool", "datetime", "date", "time", "uuid", "decimal_ps", "bytes", "timedelta", "dict"],
)
async def test_execute_raw_reads_typed_values(database: Any, dialect: str, name: str) -> None:
    """Raw SQL has no model: values are typed by the database's column types (raw.md §5)."""
    from oxyde import execute_raw

    case = BY_NAME[name]
    await case.model.objects.bulk_create([case.model(v=v) for v in case.values])
    rows = await execute_raw(f"SELECT v FROM {_quoted('ty_' + name, dialect)} ORDER BY id")
    got = [r["v"] for r in rows]
    want = [raw_expected(case, v) for v in case.values]
    if dialect == "sqlite" and name in ("datetime", "date", "time", "uuid", "decimal_ps", "dict"):
        want = [_sqlite_text(v) for v in want]  # stored as TEXT; no column type to say more
    if (dialect != "postgres" and name == "timedelta") or (dialect == "sqlite" and name == "bool"):
        want = [_as_int(v) for v in want]  # BIGINT microseconds / 0-1 INTEGER
    if dialect == "mysql" and name == "bool":
        want = [_as_int(v) for v in want]
    if dialect == "mysql" and name == "uuid":
        want = [str(v) for v in want]
    if name == "timedelta" and dialect == "postgres":
        want = [_as_int(v) for v in want]
    if dialect == "mysql" and name == "dict":
        # MariaDB's JSON is LONGTEXT with a binary collation: raw SQL sees bytes
        want = [_sqlite_text(v).encode() for v in want]
    assert all(same(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def _as_int(v: Any) -> int:
    if isinstance(v, timedelta):
        return (v.days * 86_400 + v.seconds) * 1_000_000 + v.microseconds
    return int(v)


def _sqlite_text(v: Any) -> str:
    import json

    if isinstance(v, dict):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    if isinstance(v, datetime):
        return v.isoformat(timespec="microseconds")
    if isinstance(v, time):
        return v.isoformat(timespec="microseconds")
    return str(v)


async def test_aware_datetime_is_stored_as_utc_wall_time(database: Any, dialect: str) -> None:
    """types.md §5: an aware value in a naive column is converted to UTC, the offset dropped."""
    model = BY_NAME["datetime"].model
    aware = datetime(2024, 5, 1, 10, 0, 0, 500, tzinfo=PLUS_5)
    obj = await model.objects.create(v=aware)
    got = await model.objects.get(id=obj.id)
    assert same(got.v, datetime(2024, 5, 1, 4, 30, 0, 500))
    assert await model.objects.filter(v=aware).count() == 1
    assert await model.objects.filter(v=datetime(2024, 5, 1, 4, 30, 0, 500)).count() == 1


async def test_filters_by_range_comparison_and_membership(database: Any, dialect: str) -> None:
    """Date ranges, decimal comparisons, UUID equality, enum membership."""
    dates = BY_NAME["date"].model
    await dates.objects.bulk_create([dates(v=v) for v in BY_NAME["date"].values])
    got = (
        await dates.objects.filter(v__range=(date(1000, 1, 1), date(2024, 12, 31)))
        .order_by("v")
        .values_list("v", flat=True)
        .all()
    )
    assert got == [date(1000, 1, 1), date(2024, 2, 29)]
    assert await dates.objects.filter(v__gt=date(2024, 2, 28)).count() == 2
    assert await dates.objects.filter(v__year=2024).count() == 1

    decimals = BY_NAME["decimal_ps"].model
    await decimals.objects.bulk_create([decimals(v=Decimal(s)) for s in ("9.99", "10.00", "100.01", "-5.50")])
    got = await decimals.objects.filter(v__gt=Decimal("9.99")).order_by("v").values_list("v", flat=True).all()
    if dialect == "sqlite":
        # TEXT: comparison and order are textual (types.md §11): "10.00" < "9.99"
        assert got == []
        assert await decimals.objects.filter(v__lt=Decimal("9.99")).count() == 3
    else:
        assert got == [Decimal("10.00"), Decimal("100.01")]
    # equality is exact on every dialect for the value as written
    assert await decimals.objects.filter(v=Decimal("10.00")).count() == 1
    assert await decimals.objects.filter(v__in=[Decimal("-5.50"), Decimal("9.99")]).count() == 2

    uuids = BY_NAME["uuid"].model
    await uuids.objects.bulk_create([uuids(v=v) for v in BY_NAME["uuid"].values])
    target = BY_NAME["uuid"].values[2]
    assert await uuids.objects.filter(v=target).values_list("v", flat=True).all() == [target]
    assert await uuids.objects.filter(v=str(target)).count() == 1
    assert await uuids.objects.filter(v__in=[target, uuid.UUID(int=0)]).count() == 2

    enums = BY_NAME["enum"].model
    await enums.objects.bulk_create([enums(v=v) for v in TyStatus])
    assert await enums.objects.filter(v__in=[TyStatus.LIVE, "archived"]).count() == 2
    assert await enums.objects.filter(v=TyStatus.QUOTED).count() == 1
    assert await enums.objects.exclude(v__in=[TyStatus.LIVE]).count() == 3


async def test_json_exact_filter(database: Any, dialect: str) -> None:
    """types.md §6: JSON columns take exact/in/isnull."""
    model = BY_NAME["dict"].model
    doc = {"k": [1, 2], "s": "x"}
    await model.objects.bulk_create([model(v=doc), model(v={"other": True})])
    assert await model.objects.filter(v=doc).count() == 1
    assert await model.objects.filter(v__isnull=False).count() == 2
