"""The IR the query builder produces, and build-time validation; no database needed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from oxyde import Field, Model
from oxyde.exceptions import FieldError, FieldLookupError, FieldLookupValueError, ManagerError
from oxyde.queries import Avg, Coalesce, Concat, Count, F, Q, Query, RawSQL, Sum


class IrUser(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str = Field(default="", db_column="email_address")
    age: int = 0
    score: Decimal | None = None
    active: bool = True
    born: date | None = None
    seen_at: datetime | None = None

    class Meta:
        is_table = True
        table_name = "q_ir_user"


def where(q: Query) -> dict:
    return q.query()["filter_tree"]


def leaf(field: str, column: str, op: str, value: object = ..., **extra: object) -> dict:
    node = {"type": "condition", "field": field, "column": column, "operator": op, **extra}
    if value is not ...:
        node["value"] = value
    return node


def test_select_envelope_has_spec_keys() -> None:
    ir = IrUser.objects.filter(age__gte=18).order_by("-age", "name").limit(5).offset(10).query()
    assert ir["proto"] == 1 and ir["op"] == "select" and ir["table"] == "q_ir_user"
    assert ir["model"].endswith(".IrUser")
    assert ir["cols"] == ["id", "name", "email_address", "age", "score", "active", "born", "seen_at"]
    assert ir["order_by"] == [["age", "DESC"], ["name", "ASC"]]
    assert (ir["limit"], ir["offset"]) == (5, 10)
    assert ir["filter_tree"] == leaf("age", "age", ">=", 18)
    assert ir["column_types"]["age"]["kind"] == "big_integer"
    assert IrUser.objects.filter(age=1).to_ir() == IrUser.objects.filter(age=1).query()


def test_field_names_map_to_db_column() -> None:
    q = IrUser.objects.filter(email="a@b").order_by("email").values("email")
    ir = q.query()
    assert ir["filter_tree"] == leaf("email", "email_address", "=", "a@b")
    assert ir["order_by"] == [["email_address", "ASC"]]
    assert ir["cols"] == ["email_address"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"name": "a"}, leaf("name", "name", "=", "a")),
        ({"name__exact": None}, leaf("name", "name", "IS NULL")),
        ({"age__gt": 1}, leaf("age", "age", ">", 1)),
        ({"age__lte": 1}, leaf("age", "age", "<=", 1)),
        ({"age__in": (1, 2)}, leaf("age", "age", "IN", [1, 2])),
        ({"age__in": []}, leaf("age", "age", "IN", [])),
        ({"age__range": (1, 9)}, leaf("age", "age", "BETWEEN", [1, 9])),
        ({"age__between": [1, 9]}, leaf("age", "age", "BETWEEN", [1, 9])),
        ({"born__isnull": True}, leaf("born", "born", "IS NULL")),
        ({"born__isnull": False}, leaf("born", "born", "IS NOT NULL")),
        ({"name__contains": "ab"}, leaf("name", "name", "LIKE", "%ab%", escape="!")),
        ({"name__icontains": "ab"}, leaf("name", "name", "ILIKE", "%ab%", escape="!")),
        ({"name__startswith": "ab"}, leaf("name", "name", "LIKE", "ab%", escape="!")),
        ({"name__istartswith": "ab"}, leaf("name", "name", "ILIKE", "ab%", escape="!")),
        ({"name__endswith": "ab"}, leaf("name", "name", "LIKE", "%ab", escape="!")),
        ({"name__iendswith": "ab"}, leaf("name", "name", "ILIKE", "%ab", escape="!")),
        ({"name__iexact": "Ab"}, leaf("name", "name", "ILIKE", "Ab", escape="!")),
        ({"name__contains": "5%_!"}, leaf("name", "name", "LIKE", "%5!%!_!!%", escape="!")),
        ({"active": True}, leaf("active", "active", "=", True)),
    ],
)
def test_lookup_compiles_to_condition(kwargs: dict, expected: dict) -> None:
    assert where(IrUser.objects.filter(**kwargs)) == expected


def test_date_part_lookups_become_half_open_ranges() -> None:
    assert where(IrUser.objects.filter(born__year=2024)) == {
        "type": "and",
        "conditions": [leaf("born", "born", ">=", date(2024, 1, 1)), leaf("born", "born", "<", date(2025, 1, 1))],
    }
    month = where(IrUser.objects.filter(seen_at__month=(2024, 12)))
    assert [c["value"] for c in month["conditions"]] == [datetime(2024, 12, 1), datetime(2025, 1, 1)]
    day = where(IrUser.objects.filter(born__day=(2024, 2, 29)))
    assert [c["value"] for c in day["conditions"]] == [date(2024, 2, 29), date(2024, 3, 1)]
    assert where(IrUser.objects.filter(born__month=3)) == leaf("born", "born", "=", 3, part="month")


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"nope": 1}, FieldError, "IrUser has no field 'nope'"),
        ({"name__gt": "a"}, FieldLookupError, "Lookup 'gt' is not supported for field 'name'"),
        ({"active__gt": 1}, FieldLookupError, "Lookup 'gt' is not supported for field 'active'"),
        ({"age__contains": "1"}, FieldLookupError, "Lookup 'contains' is not supported for field 'age'"),
        ({"name__foo": 1}, FieldLookupError, "Cannot traverse 'name' in path 'name.foo': not a foreign key"),
        ({"__age": 1}, FieldLookupError, "Lookup key must include a field name before '__'"),
        ({"age__gte": None}, FieldLookupValueError, "Lookup 'gte' requires a non-null value"),
        ({"name__contains": 5}, FieldLookupValueError, "Lookup 'contains' requires a string value"),
        ({"name__iexact": 5}, FieldLookupValueError, "Lookup 'iexact' requires a string value"),
        ({"age__in": None}, FieldLookupValueError, "Lookup 'in' requires an iterable of values"),
        ({"age__in": "12"}, FieldLookupValueError, "Lookup 'in' does not accept string values; use a sequence"),
        ({"age__in": 5}, FieldLookupValueError, "Lookup 'in' requires an iterable value"),
        ({"age__range": (1,)}, FieldLookupValueError, "Lookup 'range' requires a tuple/list of two values"),
        ({"born__year": "2024"}, FieldLookupValueError, "Lookup 'year' expects 1 integer value(s)"),
        ({"born__month": (2024,)}, FieldLookupValueError, "Lookup 'month' expects 2 integer value(s)"),
        ({"born__month": (2024, 13)}, FieldLookupValueError, "Lookup 'month' requires month in range 1..12"),
        ({"born__day": (2024, 2, 30)}, FieldLookupValueError, "day is out of range for month"),
        ({"age__year": 2024}, FieldLookupError, "Lookup 'year' is not supported for field 'age'"),
    ],
)
def test_lookup_errors_raise_at_build_time(kwargs: dict, exc: type, message: str) -> None:
    with pytest.raises(exc) as info:
        IrUser.objects.filter(**kwargs)
    assert type(info.value) is exc
    assert str(info.value) == message


def test_filter_values_take_f_expressions_and_reject_instances() -> None:
    # F in filters is a superset of the spec (§6.6): a column compared with an expression
    node = where(IrUser.objects.filter(age__gt=F("score") * 2))
    assert node["operator"] == ">" and node["value"]["type"] == "binary"
    with pytest.raises(FieldLookupError, match="Lookup 'in' does not accept F\\(\\) expressions"):
        IrUser.objects.filter(age__in=F("age"))
    with pytest.raises(TypeError):
        IrUser.objects.filter(age=IrUser(name="x"))


def test_q_combinations_nest_and_mix_with_kwargs() -> None:
    q = IrUser.objects.filter(Q(age__gte=18) & (Q(name="a") | Q(name="b")), active=True)
    assert where(q) == {
        "type": "and",
        "conditions": [
            leaf("age", "age", ">=", 18),
            {"type": "or", "conditions": [leaf("name", "name", "=", "a"), leaf("name", "name", "=", "b")]},
            leaf("active", "active", "=", True),
        ],
    }
    assert where(IrUser.objects.filter(~Q(age=1))) == {"type": "not", "condition": leaf("age", "age", "=", 1)}
    assert "filter_tree" not in IrUser.objects.filter(Q()).query()
    assert repr(~(Q(age=1) | Q(name="x")) & Q(age__gte=3)) == "(~(Q(age=1) OR Q(name='x')) AND Q(age__gte=3))"


def test_q_misuse_errors() -> None:
    with pytest.raises(TypeError, match="Cannot AND Q with int"):
        Q(age=1) & 1  # type: ignore[operator]
    with pytest.raises(TypeError, match="Cannot OR Q with str"):
        Q(age=1) | "x"  # type: ignore[operator]
    with pytest.raises(ValueError, match="single FilterNode dict"):
        Q(1)
    with pytest.raises(ValueError, match="not both"):
        Q({"type": "and", "conditions": []}, age=1)
    with pytest.raises(TypeError, match="filter\\(\\) positional args must be Q objects, got int"):
        IrUser.objects.filter(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="exclude\\(\\) positional args must be Q objects, got str"):
        IrUser.objects.exclude("x")  # type: ignore[arg-type]
    node = {"type": "condition", "field": "age", "operator": "=", "value": 3}
    assert where(IrUser.objects.filter(Q(node))) == node


def test_exclude_wraps_all_parts_in_one_not() -> None:
    assert where(IrUser.objects.exclude(age=1, name="a")) == {
        "type": "not",
        "condition": {"type": "and", "conditions": [leaf("age", "age", "=", 1), leaf("name", "name", "=", "a")]},
    }


def test_builders_return_clones() -> None:
    base = IrUser.objects.filter(active=True)
    a = base.filter(age__lt=30).order_by("age")
    b = base.limit(3)
    assert base.query()["filter_tree"] == leaf("active", "active", "=", True)
    assert "order_by" not in base.query() and "limit" not in base.query()
    assert a is not base and b is not base
    assert "limit" not in a.query() and b.query()["limit"] == 3


def test_order_by_appends_and_random() -> None:
    q = IrUser.objects.order_by("name").order_by("-age", "?")
    assert q.query()["order_by"] == [["name", "ASC"], ["age", "DESC"], ["?", "RANDOM"]]
    with pytest.raises(FieldError, match="IrUser has no field 'zzz'"):
        IrUser.objects.order_by("zzz").query()


def test_slicing_and_limits() -> None:
    ir = IrUser.objects.query()[2:7].query()
    assert (ir["offset"], ir["limit"]) == (2, 5)
    ir = IrUser.objects.query()[4].query()
    assert (ir["offset"], ir["limit"]) == (4, 1)
    with pytest.raises(ValueError, match="Slicing a Query requires an end index"):
        IrUser.objects.query()[2:]
    with pytest.raises(ValueError, match="Negative slicing is not supported"):
        IrUser.objects.query()[-2:3]
    with pytest.raises(ValueError, match="Negative indexing is not supported"):
        IrUser.objects.query()[-1]
    with pytest.raises(TypeError, match="Invalid argument type for slicing Query"):
        IrUser.objects.query()["a"]  # type: ignore[index]
    with pytest.raises(ValueError, match=r"limit\(\) requires a non-negative value, got -1"):
        IrUser.objects.limit(-1)
    with pytest.raises(ValueError, match=r"offset\(\) requires a non-negative value, got -2"):
        IrUser.objects.offset(-2)


def test_values_list_and_select_errors() -> None:
    with pytest.raises(ValueError, match="flat=True is only valid when a single field is selected"):
        IrUser.objects.values_list("name", "age", flat=True)
    with pytest.raises(ValueError, match="select\\(\\) requires at least one column name"):
        IrUser.objects.query().select()
    with pytest.raises(FieldError, match="IrUser has no field 'bogus'"):
        IrUser.objects.values("bogus")
    with pytest.raises(ValueError, match="join\\(\\) requires at least one relation path"):
        IrUser.objects.join()


def test_annotate_group_by_having_ir() -> None:
    q = IrUser.objects.values("age").annotate(n=Count("*"), total=Sum("age", distinct=True)).group_by("age")
    ir = q.having(n__gte=2).query()
    assert ir["cols"] == ["age"]
    assert ir["group_by"] == ["age"]
    assert ir["aggregates"] == [
        {"op": "count", "field": "*", "alias": "n"},
        {"op": "sum", "field": "age", "alias": "total", "distinct": True},
    ]
    assert ir["having"] == {
        "type": "condition",
        "field": "n",
        "lhs": {"type": "agg", "func": "count"},
        "operator": ">=",
        "value": 2,
    }
    with pytest.raises(ValueError, match="Unsupported lookup 'in' for annotation 'n' in having"):
        q.having(n__in=[1])


def test_expression_annotations_use_annotation_entries() -> None:
    ir = IrUser.objects.annotate(
        label=Concat("name", "email", separator=" "), first=Coalesce("email", "name"), ln=RawSQL("LENGTH(name)")
    ).query()
    assert ir["annotations"][0] == {
        "alias": "label",
        "expr": {
            "type": "func",
            "name": "concat",
            "args": [{"type": "column", "name": "name"}, " ", {"type": "column", "name": "email_address"}],
        },
    }
    assert ir["annotations"][2]["expr"] == {"type": "raw", "sql": "LENGTH(name)", "params": []}
    assert Count().to_ir() == {"func": "count", "field": "*"}
    assert Avg("age", distinct=True).to_ir() == {"func": "avg", "field": "age", "distinct": True}
    assert RawSQL("1").to_ir() == {"type": "raw", "sql": "1"}
    with pytest.raises(TypeError, match="annotate\\(\\) received non-expression"):
        IrUser.objects.annotate(x=5).query()


def test_union_lock_distinct() -> None:
    a = IrUser.objects.filter(age=1)
    ir = a.union_all(IrUser.objects.filter(age=2)).for_update().distinct().query()
    assert ir["union_all"] is True and ir["union_query"]["filter_tree"] == leaf("age", "age", "=", 2)
    assert ir["lock"] == "update" and ir["distinct"] is True
    assert a.for_update().for_share().query()["lock"] == "share"


def test_f_expressions() -> None:
    expr = F("age") * F("score") - 3
    assert expr.to_ir() == {
        "type": "binary",
        "op": "-",
        "left": {
            "type": "binary",
            "op": "*",
            "left": {"type": "column", "name": "age"},
            "right": {"type": "column", "name": "score"},
        },
        "right": 3,
    }
    assert (2 + F("age")).to_ir() == {
        "type": "binary",
        "op": "+",
        "left": 2,
        "right": {"type": "column", "name": "age"},
    }
    assert (-F("age")).to_ir()["op"] == "-"


def test_query_is_not_awaitable_or_iterable() -> None:
    q = IrUser.objects.filter(age=1)
    assert not hasattr(q, "__await__") and not hasattr(q, "__iter__") and not hasattr(q, "__aiter__")


async def test_manager_errors_before_sql() -> None:
    with pytest.raises(ManagerError, match="upsert\\(\\) is not implemented yet"):
        await IrUser.objects.upsert()
    with pytest.raises(ManagerError, match="either 'instance' or field values, not both"):
        await IrUser.objects.create(instance=IrUser(name="a"), name="b")
    with pytest.raises(ManagerError, match="requires an instance or field values"):
        await IrUser.objects.create()
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        await IrUser.objects.bulk_create([IrUser(name="a")], batch_size=0)
    with pytest.raises(ManagerError, match="Unsupported payload type for IrUser: int"):
        await IrUser.objects.bulk_create([1])  # type: ignore[list-item]
    assert await IrUser.objects.bulk_create([]) == []
    assert await IrUser.objects.bulk_update([], ["name"]) == 0
    with pytest.raises(ManagerError, match="bulk_update\\(\\) requires at least one field"):
        await IrUser.objects.bulk_update([IrUser(id=1, name="a")], [])
    with pytest.raises(ValueError, match="UPDATE requires either 'values' or 'bulk_update'"):
        await IrUser.objects.filter(id=1).update()


def test_sql_renders_through_core() -> None:
    pytest.importorskip("oxyde._core")
    q = IrUser.objects.filter(age__gte=18).limit(5)
    sql, params = q.sql(dialect="sqlite")
    assert "LIMIT" in sql and params[0] == 18
    sql_pg, _ = q.sql()
    assert "$1" in sql_pg
    mysql, _ = q.sql(dialect="mysql")
    assert "`q_ir_user`" in mysql
    _, typed = q.sql(dialect="postgresql", with_types=True)
    assert typed[0] == ("BigInt", 18)
    with pytest.raises(ValueError, match=r"Unknown dialect 'oracle'\. Use 'postgres', 'sqlite', or 'mysql'"):
        q.sql(dialect="oracle")
