"""Lookup suffix names (``field__<lookup>=value``) and which field kinds allow them."""

from __future__ import annotations

__all__ = [
    "ALL_LOOKUPS",
    "BOOL_LOOKUPS",
    "COMMON_LOOKUPS",
    "DATETIME_LOOKUPS",
    "DATE_PART_LOOKUPS",
    "GENERIC_LOOKUPS",
    "NUMERIC_LOOKUPS",
    "STRING_LOOKUPS",
]

COMMON_LOOKUPS: frozenset[str] = frozenset({"exact", "in", "isnull"})
STRING_LOOKUPS: frozenset[str] = COMMON_LOOKUPS | {
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
}
NUMERIC_LOOKUPS: frozenset[str] = COMMON_LOOKUPS | {"gt", "gte", "lt", "lte", "between", "range"}
DATE_PART_LOOKUPS: frozenset[str] = frozenset({"year", "month", "day"})
DATETIME_LOOKUPS: frozenset[str] = NUMERIC_LOOKUPS | DATE_PART_LOOKUPS
BOOL_LOOKUPS: frozenset[str] = COMMON_LOOKUPS
GENERIC_LOOKUPS: frozenset[str] = COMMON_LOOKUPS
ALL_LOOKUPS: frozenset[str] = STRING_LOOKUPS | DATETIME_LOOKUPS
