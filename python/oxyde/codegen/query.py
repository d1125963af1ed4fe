"""``<M>Query(Query[<M>])`` and ``<M>Manager(QueryManager[<M>])`` stub classes
with one keyword per field and lookup, and field-name literals."""

from __future__ import annotations

from typing import Any

from oxyde.codegen.types import TypeWriter

_FILTER_RESERVED = frozenset({"self", "args", "kwargs", "client", "using", "defaults"})
_CREATE_RESERVED = frozenset({"self", "instance", "client", "using"})
_TERMINAL = "using: str | None = None, client: SupportsExecute | None = None"


def _lookup_type(lookup: str, tp: str) -> str:
    if lookup == "in":
        return f"Iterable[{tp}] | None"
    if lookup in ("between", "range"):
        return f"tuple[{tp}, {tp}] | list[{tp}] | None"
    if lookup in ("isnull", "exact_isnull"):
        return "bool | None"
    if lookup == "year":
        return "int | None"
    if lookup == "month":
        return "tuple[int, int] | list[int] | None"
    if lookup == "day":
        return "tuple[int, int, int] | list[int] | None"
    return f"{tp} | None"


def _fields(model: type) -> list[Any]:
    from oxyde.queries.base import model_fields

    return [f for f in model_fields(model).values() if not f.virtual]


def _field_type(model: type, info: Any, writer: TypeWriter) -> str:
    """The column's type without ``None``; an FK field takes the target key's type."""
    tp = info.python_type
    if info.is_fk:
        tp = _fk_key_type(model, info.name)
    text = writer.text(tp)
    parts = [p for p in text.split(" | ") if p != "None"] if "[" not in text else [text]
    return " | ".join(parts) or "Any"


def _fk_key_type(model: type, name: str) -> Any:
    from oxyde.models.registry import lookup_model
    from oxyde.queries.base import model_fields

    fk = model._db_meta.field_metadata[name].foreign_key  # type: ignore[attr-defined]
    try:
        target = lookup_model(fk.target)
    except Exception:
        return Any
    key = model_fields(target).get(fk.target_field)
    return key.python_type if key is not None else Any


def _filter_params(model: type, writer: TypeWriter) -> list[str]:
    from oxyde.queries.lookups import allowed_lookups

    params: list[str] = []
    for info in _fields(model):
        if info.name in _FILTER_RESERVED:
            continue
        tp = _field_type(model, info, writer)
        params.append(f"{info.name}: {tp} | None = None")
        for lookup in sorted(allowed_lookups(info) - {"exact"}):
            params.append(f"{info.name}__{lookup}: {_lookup_type(lookup, tp)} = None")
    return params


def _literal(names: list[str]) -> str:
    return "Literal[" + ", ".join(repr(n) for n in names) + "] | str" if names else "str"


def _sig(params: list[str]) -> str:
    return "".join(f"\n        {p}," for p in [*params, "**kwargs: Any"]) + "\n    "


def _values_list(name: str, fields: str) -> list[str]:
    """The overloads of ``Query.values_list``: ``flat=True`` rows are scalars."""
    variants = [
        ("flat: Literal[True]", f"FlatValuesListQuery[{name}, Any]"),
        ("flat: Literal[False] = False", f"ValuesListQuery[{name}]"),
        ("flat: bool", f"ValuesListQuery[{name}] | FlatValuesListQuery[{name}, Any]"),
    ]
    return [
        line
        for flat, result in variants
        for line in ("    @overload", f"    def values_list(self, *fields: {fields}, {flat}) -> {result}: ...")
    ]


def model_query_classes(model: type, writer: TypeWriter) -> list[str]:
    name = model.__name__
    names = [f.name for f in _fields(model)]
    ordering = _literal([*names, *(f"-{n}" for n in names)])
    fields = _literal(names)
    filters = _filter_params(model, writer)
    creates = [
        f"{f.name}: {writer.text(f.python_type) if not f.is_fk else 'Any'} = ..."
        for f in _fields(model)
        if f.name not in _CREATE_RESERVED
    ]
    where = f"self, *args: Q,{_sig(filters)}"
    lookup_sig = _sig(["*", "using: str | None = None", "client: SupportsExecute | None = None", *filters])
    defaults_sig = _sig(
        [
            "*",
            "defaults: dict[str, Any] | None = None",
            "using: str | None = None",
            "client: SupportsExecute | None = None",
            *filters,
        ]
    )
    create_sig = _sig(
        [
            "*",
            f"instance: {name} | None = None",
            "using: str | None = None",
            "client: SupportsExecute | None = None",
            *creates,
        ]
    )
    shared = [
        f"    def order_by(self, *fields: {ordering}) -> {name}Query: ...",
        f"    def values(self, *fields: {fields}) -> ValuesQuery[{name}]: ...",
        *_values_list(name, fields),
        f"    def select(self, *fields: {fields}) -> {name}Query: ...",
        f"    def group_by(self, *fields: {fields}) -> {name}Query: ...",
    ]
    query = [
        f"class {name}Query(Query[{name}]):",
        f"    def filter({where}) -> {name}Query: ...",
        f"    def exclude({where}) -> {name}Query: ...",
        *shared,
    ]
    manager = [
        f"class {name}Manager(QueryManager[{name}]):",
        f"    def query(self) -> {name}Query: ...",
        f"    def filter({where}) -> {name}Query: ...",
        f"    def exclude({where}) -> {name}Query: ...",
        *shared,
        f"    async def get(self,{lookup_sig}) -> {name}: ...",
        f"    async def get_or_none(self,{lookup_sig}) -> {name} | None: ...",
        f"    async def get_or_create(self,{defaults_sig}) -> tuple[{name}, bool]: ...",
        f"    async def update_or_create(self,{defaults_sig}) -> tuple[{name}, bool]: ...",
        f"    async def create(self,{create_sig}) -> {name}: ...",
    ]
    return [*query, "", "", *manager]
