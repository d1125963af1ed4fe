"""Values a column cannot hold raise a clear error (nothing is silently changed), and the
per-dialect caveats of docs/types.md, each shown as it behaves."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from oxyde import execute_raw
from oxyde.core.errors import CheckViolationError
from oxyde.exceptions import DatabaseError, DataError, ManagerError
from test_types_matrix import BY_NAME
from types_support import local_table, same, type_model

TEN_MB = "é🎉x" * (10 * 1024 * 1024 // 7)


def _cause(exc: BaseException) -> BaseException:
    """create()/bulk_create() wrap non-constraint failures in ManagerError (exceptions.md)."""
    return exc.__cause__ if isinstance(exc, ManagerError) and exc.__cause__ is not None else exc


async def test_too_long_string_is_refused_not_truncated(database: Any, dialect: str) -> None:
    """VARCHAR(5): PostgreSQL and strict MariaDB refuse 6 characters; SQLite never
    enforces VARCHAR lengths and keeps the whole value."""
    model = BY_NAME["str_len"].model
    obj = await model.objects.create(v="abcde")
    if dialect == "sqlite":
        assert await model.objects.filter(id=obj.id).update(v="abcdef") == 1
        assert await model.objects.filter(id=obj.id).values_list("v", flat=True).all() == ["abcdef"]
        return
    with pytest.raises(DataError) as info:
        await model.objects.filter(id=obj.id).update(v="abcdef")
    assert info.value.code == "data_error"
    assert "too long" in str(info.value).lower()
    assert await model.objects.filter(id=obj.id).values_list("v", flat=True).all() == ["abcde"]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (Decimal("1.00000000001"), "rounded"),  # 11 places in a column keeping 10
        (Decimal("12345678901234567890123456789"), "before the point"),  # 29 > 38 - 10
    ],
)
async def test_decimal_that_does_not_fit_is_refused(database: Any, dialect: str, value: Decimal, why: str) -> None:
    """DECIMAL(38,10): PostgreSQL and MySQL would round extra fraction digits without a
    word, and SQLite (TEXT) would keep digits the column does not declare."""
    model = BY_NAME["decimal_ps"].model
    obj = await model.objects.create(v=Decimal("1"))
    with pytest.raises(DataError, match=why):
        await model.objects.filter(id=obj.id).update(v=value)
    assert await model.objects.filter(id=obj.id).values_list("v", flat=True).all() == [Decimal("1")]
    # comparing with such a value is fine: only stored values are checked
    assert await model.objects.filter(v__lt=value).count() == 1


async def test_mysql_decimal_without_digits_is_decimal_10_0(database: Any, dialect: str) -> None:
    """`Decimal` without max_digits is DECIMAL(10,0) on MySQL/MariaDB: a fraction is
    refused instead of rounded; elsewhere it is kept exactly."""
    model = BY_NAME["decimal"].model
    if dialect == "mysql":
        with pytest.raises((DataError, ManagerError)) as info:
            await model.objects.create(v=Decimal("12.5"))
        assert isinstance(_cause(info.value), DataError)
        assert await model.objects.count() == 0
        return
    obj = await model.objects.create(v=Decimal("12.5000"))
    assert same((await model.objects.get(id=obj.id)).v, Decimal("12.5000"))
    assert str(await model.objects.filter(id=obj.id).values_list("v", flat=True).first()) == "12.5000"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
async def test_float_infinities_and_nan(database: Any, dialect: str, value: float) -> None:
    """PostgreSQL keeps all three; SQLite keeps infinities but would store NaN as NULL;
    MySQL/MariaDB have neither. Refusals are DataError, before anything is written."""
    model = BY_NAME["float"].model
    refused = dialect == "mysql" or (dialect == "sqlite" and math.isnan(value))
    if refused:
        with pytest.raises((DataError, ManagerError)) as info:
            await model.objects.create(v=value, n=value)
        assert isinstance(_cause(info.value), DataError)
        assert "float" in str(info.value)
        assert await model.objects.count() == 0
        return
    obj = await model.objects.create(v=value, n=value)
    got = await model.objects.get(id=obj.id)
    assert same(got.v, value) and same(got.n, value)
    if not math.isnan(value):
        assert await model.objects.filter(v=value).count() == 1


async def test_int_and_duration_beyond_64_bits_are_refused(database: Any) -> None:
    model = BY_NAME["int"].model
    with pytest.raises((ValueError, ManagerError), match="out of range"):
        await model.objects.create(v=2**63)
    durations = BY_NAME["timedelta"].model
    with pytest.raises((ValueError, ManagerError), match="out of range"):
        await durations.objects.create(v=timedelta.max)
    assert await model.objects.count() == 0


async def test_ten_megabyte_text(database: Any, dialect: str) -> None:
    """`db_type="TEXT"` holds 10 MB on SQLite and PostgreSQL; MySQL's TEXT holds 64 KB and
    refuses more (strict mode), LONGTEXT holds it."""
    model = BY_NAME["text"].model
    if dialect == "mysql":
        with pytest.raises((DataError, ManagerError)) as info:
            await model.objects.create(v=TEN_MB)
        assert isinstance(_cause(info.value), DataError)
        model = type_model("longtext", str, register=False, db_type="LONGTEXT")
        async with local_table(database, model):
            obj = await model.objects.create(v=TEN_MB)
            assert (await model.objects.get(id=obj.id)).v == TEN_MB
            assert await model.objects.filter(v=TEN_MB).count() == 1
        return
    obj = await model.objects.create(v=TEN_MB, n="")
    got = await model.objects.get(id=obj.id)
    assert got.v == TEN_MB and got.n == ""
    assert await model.objects.filter(v=TEN_MB).count() == 1


async def test_nul_character_in_text(database: Any, dialect: str) -> None:
    """PostgreSQL text cannot hold U+0000 and says so; the others keep it."""
    model = BY_NAME["str"].model
    if dialect == "postgres":
        with pytest.raises((DataError, ManagerError)) as info:
            await model.objects.create(v="a\x00b")
        assert isinstance(_cause(info.value), DataError)
        return
    obj = await model.objects.create(v="a\x00b")
    assert (await model.objects.get(id=obj.id)).v == "a\x00b"


async def test_timestamptz_keeps_aware_values(database: Any, dialect: str) -> None:
    """`db_type="TIMESTAMPTZ"`: aware values read back aware in UTC (PostgreSQL, and SQLite
    which keeps UTC text); MySQL has no such type and the verbatim name fails at DDL."""
    model = type_model("tstz", datetime, register=False, db_type="TIMESTAMPTZ")
    if dialect == "mysql":
        with pytest.raises(DatabaseError):
            async with local_table(database, model):
                pass
        return
    aware = datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    async with local_table(database, model):
        obj = await model.objects.create(v=aware, n=datetime(2024, 5, 1, 4, 30))
        got = await model.objects.get(id=obj.id)
        assert got.v == aware and got.v.utcoffset() == timedelta(0)
        assert got.n == datetime(2024, 5, 1, 4, 30, tzinfo=timezone.utc)  # naive is taken as UTC
        row = await model.objects.filter(v=aware).values("v").first()
        assert row is not None and row["v"] == aware and row["v"].tzinfo is not None


async def test_aware_time_is_refused(database: Any) -> None:
    """types.md §5: only naive times are supported."""
    model = BY_NAME["time"].model
    with pytest.raises((ValueError, ManagerError), match="time"):
        await model.objects.create(v=time(12, 0, tzinfo=timezone.utc))
    assert await model.objects.count() == 0


async def test_sqlite_text_that_is_not_json_reads_as_text(database: Any, dialect: str) -> None:
    """types.md §6: SQLite does not check JSON; a stored non-JSON text comes back as a string.
    PostgreSQL (jsonb) and MariaDB (JSON is LONGTEXT CHECK json_valid) refuse such text."""
    if dialect != "sqlite":
        with pytest.raises((DataError, CheckViolationError)):
            await execute_raw("INSERT INTO ty_dict (v) VALUES ('not json {')")
        return
    await execute_raw("INSERT INTO ty_dict (v) VALUES (?)", ["not json {"])
    assert await BY_NAME["dict"].model.objects.values_list("v", flat=True).all() == ["not json {"]


async def test_list_timedelta_round_trips(database: Any, dialect: str) -> None:
    """types.md §7 lists `list[timedelta]` on PostgreSQL as unsupported (items came back as
    raw integers, read by pydantic as seconds); items are durations on every dialect."""
    model = type_model("list_td", list[timedelta], register=False)
    value = [timedelta(microseconds=1), -timedelta(days=2, seconds=3), timedelta(0)]
    async with local_table(database, model):
        obj = await model.objects.create(v=value)
        assert same((await model.objects.get(id=obj.id)).v, value)
        assert same(await model.objects.filter(id=obj.id).values_list("v", flat=True).first(), value)


async def test_enum_value_outside_the_type(database: Any, dialect: str) -> None:
    """Native enums refuse an unknown label (PostgreSQL, MySQL ENUM) with DataError; SQLite
    stores any text. (The query builder validates update() values before SQL is built.)"""
    model = BY_NAME["enum"].model
    await model.objects.create(v="draft")
    sql = "UPDATE ty_enum SET v = 'bogus'"
    if dialect == "sqlite":
        await execute_raw(sql)
        assert await model.objects.values_list("v", flat=True).all() == ["bogus"]
        return
    with pytest.raises(DataError):
        await execute_raw(sql)
    assert await model.objects.values_list("v", flat=True).all() == ["draft"]
