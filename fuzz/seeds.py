"""Writes the seed corpus of both fuzz targets: IR the Python query builder produces, one file per op.

Run from the repository root with the project's virtualenv:
``.venv/bin/python fuzz/seeds.py``. Files are named by content hash, so a
rerun adds only what changed.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from oxyde import Field, Model
from oxyde._codec import pack_ir
from oxyde.queries import Avg, Coalesce, Concat, Count, F, Q, RawSQL, Sum

CORPUS = Path(__file__).resolve().parent / "corpus"
TARGETS = ("decode", "decode_render")


class SeedAuthor(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str

    class Meta:
        is_table = True
        table_name = "seed_author"


class SeedBook(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    pages: int = 0
    price: Decimal | None = None
    published: date | None = None
    seen_at: datetime | None = None
    author: SeedAuthor | None = Field(default=None, db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "seed_book"


def _queries() -> list[dict[str, Any]]:
    books = SeedBook.objects
    return [
        books.filter(pages__gte=100).order_by("-pages", "title").limit(10).offset(5).query(),
        books.filter(Q(title__icontains="rust") | ~Q(price__lt=Decimal("9.99")), published__year=2024).query(),
        books.filter(title__in=["a", "b"], seen_at__isnull=True, pages__range=(1, 9)).query(),
        books.values("title", "pages").distinct().query(),
        books.values_list("pages", flat=True).query(),
        books.annotate(n=Count("id"), total=Sum("pages")).values("author").having(n__gte=2).query(),
        books.annotate(avg=Avg("pages", distinct=True), label=Concat("title", "title")).query(),
        books.annotate(p=Coalesce("price", Decimal(0)), raw=RawSQL("1")).query(),
        books.filter(pages=F("pages") + 1).for_update().query(),
        books.filter(pages=1).union_all(books.filter(pages=2)).query(),
        books.join("author").filter(author__name__startswith="A").query(),
        books.filter(title__iendswith="x").exclude(pages=0).order_by("?").query(),
    ]


def _writes() -> list[dict[str, Any]]:
    return [
        {"proto": 1, "op": "insert", "table": "seed_book", "cols": ["title", "pages"], "rows": [["a", 1], ["b", None]],
         "returning": True},
        {"proto": 1, "op": "update", "table": "seed_book",
         "values": {"pages": {"type": "binary", "op": "+", "left": {"type": "column", "name": "pages"}, "right": 1}},
         "filter_tree": {"type": "condition", "field": "id", "operator": "=", "value": 3}},
        {"proto": 1, "op": "delete", "table": "seed_book",
         "filter_tree": {"type": "not", "condition": {"type": "condition", "field": "title", "operator": "LIKE",
                                                      "value": "x%"}}},
        {"proto": 1, "op": "raw", "sql": "SELECT ?", "params": [1, 2.5, "s", None, True]},
        {"proto": 1, "op": "create_table", "table": "seed_t",
         "columns": [{"name": "a", "type": {"kind": "big_integer"}}]},
    ]  # fmt: skip


def main() -> None:
    for target in TARGETS:
        (CORPUS / target).mkdir(parents=True, exist_ok=True)
    count = 0
    for ir in [*_queries(), *_writes()]:
        data = pack_ir(ir)
        name = hashlib.sha1(data).hexdigest()
        for target in TARGETS:
            (CORPUS / target / name).write_bytes(data)
        count += 1
    print(f"{count} seeds in {CORPUS}")


if __name__ == "__main__":
    main()
