"""Query API gaps on every dialect: explain, row-lock options, HAVING with Q, F in annotate/filter,
increment and terminal aggregates through db_column, coercions, wrong-type values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oxyde import Field, Model, atomic
from oxyde.db.pool import AsyncDatabase
from oxyde.exceptions import FieldError, FieldLookupError, FieldLookupValueError
from oxyde.queries import Coalesce, Count, F, Q, RawSQL, Sum


class AItem(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    cat: str = Field(default="a", max_length=10)
    qty: int = Field(default=0, db_column="quantity")
    price: Decimal = Field(default=Decimal("0"), max_digits=10, decimal_places=2)
    ratio: float = 0.0

    class Meta:
        is_table = True
        table_name = "q_a_item"


ITEMS = [("pen", "a", 3, "1.50", 0.5), ("cup", "a", 10, "4.25", 2.0), ("mug", "b", 1, "7.00", 1.5)]


@pytest.fixture
async def items(database: AsyncDatabase) -> list[AItem]:
    objs = [AItem(name=n, cat=c, qty=q, price=Decimal(p), ratio=r) for n, c, q, p, r in ITEMS]
    return await AItem.objects.bulk_create(objs)


async def test_explain_per_dialect(items: list[AItem], dialect: str) -> None:
    q = AItem.objects.filter(name="pen")
    plan = await q.explain()
    assert isinstance(plan, list) and plan
    if dialect == "sqlite":
        assert {"id", "parent", "notused", "detail"} <= set(plan[0])
        for kwargs in ({"analyze": True}, {"format": "json"}):
            with pytest.raises(RuntimeError, match="SQLite EXPLAIN does not support ANALYZE or JSON format"):
                await q.explain(**kwargs)
        return
    analyzed = await q.explain(analyze=True)
    as_json = await q.explain(format="JSON")
    analyzed_json = await q.explain(analyze=True, format="json")
    if dialect == "postgres":
        assert all(isinstance(line, str) for line in plan + analyzed)
        assert any("actual time" in line for line in analyzed) and not any("actual time" in line for line in plan)
        assert as_json[0]["Plan"]["Node Type"] and "Actual Rows" in analyzed_json[0]["Plan"]
    else:  # MariaDB spells it ANALYZE <q>; MySQL 8 EXPLAIN ANALYZE <q>
        assert all(isinstance(row, dict) for row in plan + analyzed)
        assert "r_rows" in analyzed[0] or "EXPLAIN" in analyzed[0]
        assert "query_block" in as_json and "query_block" in analyzed_json


async def test_explain_runs_on_the_pool_not_the_transaction(items: list[AItem], dialect: str) -> None:
    async with atomic():
        await AItem.objects.filter(name="pen").update(name="tmp")
        plan = await AItem.objects.filter(name="tmp").explain(analyze=dialect != "sqlite")
        if dialect == "postgres":  # the pool does not see the uncommitted row
            assert any("rows=0 loops" in line for line in plan), plan
        assert plan
    assert await AItem.objects.filter(name="tmp").count() == 1


async def test_lock_options_skip_locked_and_nowait(items: list[AItem], database: AsyncDatabase, dialect: str) -> None:
    q = AItem.objects.order_by("name")
    assert q.for_update(nowait=True).query()["lock_wait"] == "nowait"
    assert "lock_wait" not in q.for_update().query()  # defaults keep the 0.7 SQL
    with pytest.raises(ValueError, match="nowait or skip_locked, not both"):
        q.for_share(nowait=True, skip_locked=True)
    async with atomic():
        cup = next(i for i in items if i.name == "cup")
        # by primary key: InnoDB locks every row a scan reads, not only the matches
        held = await AItem.objects.filter(id=cup.id).for_update().all()
        assert [i.name for i in held] == ["cup"]
        # another connection (the pool, not this transaction)
        free = await q.for_update(skip_locked=True).values_list("name", flat=True).all(client=database)
        shared = await q.for_share(skip_locked=True).values_list("name", flat=True).all(client=database)
        if dialect == "sqlite":  # no row locks: nothing is held, nothing skipped
            assert free == shared == ["cup", "mug", "pen"]
            assert len(await q.for_update(nowait=True).all(client=database)) == 3
        else:
            assert free == shared == ["mug", "pen"]
            with pytest.raises(RuntimeError):
                await AItem.objects.filter(id=cup.id).for_update(nowait=True).all(client=database)
    assert len(await q.for_share(nowait=True).all()) == 3


async def test_having_resolves_annotation_aliases_inside_q(items: list[AItem]) -> None:
    """Spec defect (queries.md §8.5): Q in having() named only model fields."""
    grouped = AItem.objects.values("cat").annotate(n=Count("*"), total=Sum("qty")).group_by("cat").order_by("cat")
    rows = await grouped.having(Q(n__gte=2) | Q(total__lt=2)).all()
    assert [(r["cat"], r["n"], int(r["total"])) for r in rows] == [("a", 2, 13), ("b", 1, 1)]
    assert [r["cat"] for r in await grouped.having(~Q(n__gte=2)).all()] == ["b"]
    assert [r["cat"] for r in await grouped.having(Q(n=1), cat="b").all()] == ["b"]
    with pytest.raises(TypeError, match="having\\(\\) positional args must be Q objects"):
        grouped.having("n > 1")  # type: ignore[arg-type]


async def test_f_arithmetic_in_annotate_and_filter(items: list[AItem]) -> None:
    rows = await AItem.objects.annotate(double=F("qty") * 2 + 1).values("name").order_by("name").all()
    assert [(r["name"], r["double"]) for r in rows] == [("cup", 21), ("mug", 3), ("pen", 7)]
    # a float column (SQLite keeps decimals as text, which compares above any number)
    high = AItem.objects.filter(ratio__gt=F("qty") * 0.25).values_list("name", flat=True)
    assert sorted(await high.all()) == ["mug"]
    assert await AItem.objects.filter(qty=F("qty")).count() == 3
    assert await AItem.objects.exclude(ratio__lt=F("qty") - 2).values_list("name", flat=True).all() == ["mug"]


async def test_increment_and_update_map_field_names_to_db_column(items: list[AItem]) -> None:
    """Spec defect (queries.md §2.5): increment/F/terminal aggregates used raw names."""
    assert await AItem.objects.filter(name="pen").increment("qty", by=4) == 1
    assert await AItem.objects.filter(name="cup").increment("qty", by=-2) == 1
    assert await AItem.objects.increment("ratio", by=0.5) == 3
    assert await AItem.objects.filter(name="mug").update(qty=F("qty") + F("quantity") * 10) == 1
    got = {i.name: (i.qty, i.ratio) for i in await AItem.objects.all()}
    assert got == {"pen": (7, 1.0), "cup": (8, 2.5), "mug": (11, 2.0)}
    assert await AItem.objects.sum("qty") == 26
    assert await AItem.objects.sum("quantity") == 26  # a raw column name still works


async def test_increment_by_an_int_then_a_float_stores_both(items: list[AItem]) -> None:
    """The same UPDATE text with an int and then a float parameter: PostgreSQL
    once reused the int8 statement and stored the float's bytes as a bigint."""
    pen = AItem.objects.filter(name="pen")
    for _ in range(3):  # enough runs for the pooled connection to cache the statement
        await pen.increment("qty", by=4)
    await pen.increment("qty", by=-2.0)
    assert (await pen.get()).qty == 3 + 12 - 2


async def test_terminal_aggregate_coercions(items: list[AItem]) -> None:
    total, mean = await AItem.objects.sum("qty"), await AItem.objects.avg("qty")
    assert total == 14 and type(total) is int
    assert mean == pytest.approx(14 / 3) and type(mean) is float
    price_sum, price_avg = await AItem.objects.sum("price"), await AItem.objects.avg("price")
    assert type(price_sum) is Decimal and price_sum == Decimal("12.75")
    assert type(price_avg) is Decimal and price_avg.quantize(Decimal("0.01")) == Decimal("4.25")
    assert await AItem.objects.max("price") == Decimal("7.00") and await AItem.objects.min("qty") == 1
    assert type(await AItem.objects.max("ratio")) is float
    assert await AItem.objects.filter(name="none").avg("price") is None


async def test_first_last_and_get_misuse(items: list[AItem]) -> None:
    assert (await AItem.objects.order_by("-qty").first()).name == "cup"  # type: ignore[union-attr]
    assert (await AItem.objects.order_by("-qty").last()).name == "mug"  # type: ignore[union-attr]
    assert (await AItem.objects.last()).name == "mug"  # type: ignore[union-attr]
    assert await AItem.objects.filter(cat="z").last() is None


async def test_misuse_names_the_field(items: list[AItem]) -> None:
    with pytest.raises(FieldError, match="AItem has no field 'nope'"):
        AItem.objects.filter(nope=1)
    with pytest.raises(FieldError, match="AItem has no field 'nope'"):
        await AItem.objects.order_by("-nope").all()  # checked when compiled: aliases may come later
    with pytest.raises(FieldLookupError, match=r"Cannot traverse 'name' in path 'name\.foo': not a foreign key"):
        AItem.objects.filter(name__foo="x")
    with pytest.raises(FieldLookupError, match="Lookup 'year' is not supported for field 'qty'"):
        AItem.objects.filter(qty__year=2020)
    # a value that cannot be the field's type: the same error on every database
    with pytest.raises(FieldLookupValueError, match="Invalid value for field 'qty': 'abc' is not a valid int"):
        AItem.objects.filter(qty="abc")
    with pytest.raises(FieldLookupValueError, match="field 'price'"):
        AItem.objects.filter(price__in=[Decimal(1), "x1"])
    with pytest.raises(FieldLookupValueError, match="field 'qty'"):
        AItem.objects.exclude(Q(qty__gte=[1]))
    # text that is a valid number still binds as one
    assert await AItem.objects.filter(qty="10").count() == 1
    assert await AItem.objects.filter(price__gte="4.25").count() == 2


async def test_rawsql_and_coalesce_annotations(items: list[AItem]) -> None:
    """Spec defect (queries.md §8.2, raw.md §7): RawSQL/Coalesce annotations failed to compile."""
    q = AItem.objects.annotate(ln=RawSQL("LENGTH(name)"), pick=Coalesce("cat", "name")).values().order_by("name")
    assert await q.all() == [{"ln": 3, "pick": "a"}, {"ln": 3, "pick": "b"}, {"ln": 3, "pick": "a"}]


class KeptItem(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)

    class Meta:
        is_table = True
        table_name = "q_kept_item"


async def test_kept_statements_survive_a_column_added_by_another_connection(database: AsyncDatabase) -> None:
    """Counts, exists tests and model-returning writes read fixed columns, so each connection
    keeps them prepared; a column another connection adds must not break them, in or out of
    a transaction (on the connection that prepared them before the change)."""
    await KeptItem.objects.create(name="a")
    assert await KeptItem.objects.count() == 1
    assert await KeptItem.objects.filter(name="a").exists()
    other = AsyncDatabase(database.url, name="q_kept_other", auto_register=False, overwrite=True)
    await other.connect()
    try:
        await other.execute({"proto": 1, "op": "raw", "sql": "ALTER TABLE q_kept_item ADD extra INTEGER", "params": []})
        async with atomic():
            assert await KeptItem.objects.count() == 1
            created = await KeptItem.objects.create(name="b")
            assert created.id is not None and created.name == "b"
            assert await KeptItem.objects.filter(name="b").exists()
        assert await KeptItem.objects.count() == 2
        updated = await KeptItem.objects.filter(name="b").update(name="c", returning=True)
        assert [(row.id, row.name) for row in updated] == [(created.id, "c")]
        assert sorted(await KeptItem.objects.values_list("name", flat=True).all()) == ["a", "c"]
    finally:
        await other.execute({"proto": 1, "op": "raw", "sql": "ALTER TABLE q_kept_item DROP COLUMN extra", "params": []})
        await other.disconnect()
