"""The query layer: manager, lazy query builder, filters, expressions, raw SQL."""

from oxyde.queries.aggregates import Aggregate, Avg, Coalesce, Concat, Count, Max, Min, RawSQL, Sum
from oxyde.queries.base import SupportsExecute
from oxyde.queries.expressions import F
from oxyde.queries.manager import QueryManager
from oxyde.queries.q import Q
from oxyde.queries.raw import execute_raw
from oxyde.queries.select import Query
from oxyde.queries.typed import FlatValuesListQuery, ValuesListQuery, ValuesQuery

__all__ = [
    "Aggregate",
    "Avg",
    "Coalesce",
    "Concat",
    "Count",
    "F",
    "FlatValuesListQuery",
    "Max",
    "Min",
    "Q",
    "Query",
    "QueryManager",
    "RawSQL",
    "Sum",
    "SupportsExecute",
    "ValuesListQuery",
    "ValuesQuery",
    "execute_raw",
]
