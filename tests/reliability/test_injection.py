"""Item 2: hostile strings through every path a user value or name takes. Each is stored and read back
literally or refused with a clear error; the schema and other rows are untouched afterwards."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from oxyde import AsyncDatabase, F, Field, Model, Q, execute_raw
from oxyde.db.schema import table_ops
from oxyde.exceptions import DatabaseError, OxydeError
from oxyde.migrations import generate_migration_file, get_applied_migrations
from oxyde.migrations.tracker import record_migration, remove_migration
from oxyde.models.registry import finalize_pending, unregister_table

# Refusals we accept: our error classes (InvalidIRError, FieldError, DataError...), and ValueError
# (pydantic's ValidationError). A panic crossing the FFI boundary is a BaseException: never accepted.
CLEAR = (OxydeError, DatabaseError, ValueError)

HOSTILE = [
    "'",
    "''",
    '"',
    "`",
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE rel_inj_guard; --",
    '"; DROP TABLE rel_inj_guard; --',
    "`; DROP TABLE rel_inj_guard; --",
    "1; DELETE FROM rel_inj_guard",
    "x'); DELETE FROM rel_inj_guard; --",
    "-- comment",
    "/* open",
    "*/",
    "# hash comment",
    "\\",
    "\\'",
    "\\\\'",
    "'\\",
    "\\0",
    "\\x00",
    "\x00",
    "a\x00b",
    "%",
    "_",
    "%_%",
    "!",
    "!%",
    "[a-z]",
    "$1",
    "?",
    ":name",
    "%s",
    "{0}",
    "\u02bc OR \u02bc1\u02bc=\u02bc1",  # modifier letter apostrophe
    "\uff07 OR 1=1 --",  # fullwidth apostrophe
    "\u2019; DROP TABLE rel_inj_guard; --",  # right single quotation mark
    "\uff02\uff1b",  # fullwidth quotation mark and semicolon
    "\u200b",  # zero-width space
    "\ufeffbom",
    "\u202eevil",  # right-to-left override
    "\u0430dmin",  # Cyrillic a
    "\U0001f600",
    "tab\there\r\nnewline",
    " padded ",
    "",
    "x" * 100_000,
    "'" * 10_000,
]

PLAIN = ["zzplain0", "zzplain1", "Plain Row"]  # rows a hostile lookup must never pull in


class InjRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    note: str = ""

    class Meta:
        is_table = True
        table_name = "rel_inj_row"


class InjGuard(Model):
    id: int | None = Field(default=None, db_pk=True)
    label: str

    class Meta:
        is_table = True
        table_name = "rel_inj_guard"


TABLES_SQL = {
    "sqlite": "SELECT name AS t FROM sqlite_master WHERE type = 'table' ORDER BY name",
    "postgres": "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    "mysql": "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1",
}


@asynccontextmanager
async def untouched(dialect: str) -> AsyncIterator[None]:
    """The block may do anything to ``rel_inj_row``; every table and the guard rows must survive it."""
    await InjGuard.objects.bulk_create([InjGuard(label=f"guard-{i}") for i in range(3)])
    guard = await InjGuard.objects.order_by("id").values_list("id", "label").all()
    tables = [r["t"] for r in await execute_raw(TABLES_SQL[dialect])]
    yield
    assert [r["t"] for r in await execute_raw(TABLES_SQL[dialect])] == tables
    assert await InjGuard.objects.order_by("id").values_list("id", "label").all() == guard


class Tally:
    """Counts the cases tried and how each ended."""

    def __init__(self, clear: tuple[type[BaseException], ...] = CLEAR) -> None:
        self.clear = clear
        self.outcomes: Counter[str] = Counter()
        self.failures: list[str] = []
        self.refusals: list[str] = []

    async def case(self, path: str, value: str, attempt: Callable[[], Awaitable[None]]) -> bool:
        """Runs one case; True when it went through (its own asserts checked the read-back)."""
        try:
            await attempt()
        except self.clear as exc:
            if not str(exc).strip():
                self.failures.append(f"{path} with {value[:60]!r}: refused without a message ({type(exc).__name__})")
            self.outcomes["refused"] += 1
            self.refusals.append(f"{path} {value[:30]!r}: {type(exc).__name__}: {str(exc)[:150]}")
            return False
        except AssertionError as exc:
            self.failures.append(f"{path} with {value[:60]!r}: {str(exc).splitlines()[0]}")
            self.outcomes["failed"] += 1
            return False
        self.outcomes["literal"] += 1
        return True

    def check(self) -> None:
        """Fails listing every case that went wrong (all are tried first, to show the whole picture)."""
        assert not self.failures, f"{len(self.failures)} cases went wrong:\n" + "\n".join(self.failures)

    def line(self, dialect: str, what: str) -> str:
        total = sum(self.outcomes.values())
        return (
            f"{dialect} {what}: {total} cases, {self.outcomes['literal']} stored/read back literally or "
            f"matched exactly, {self.outcomes['refused']} refused with a clear error; schema and guard rows intact"
        )


def fold(text: str) -> str:
    """A loose form for collations that ignore case, accents or compatibility forms (MySQL)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


LOOKUPS: dict[str, Callable[[str, str], bool]] = {
    "exact": lambda row, s: fold(row).rstrip(" ") == fold(s).rstrip(" "),
    "iexact": lambda row, s: fold(row).rstrip(" ") == fold(s).rstrip(" "),
    "contains": lambda row, s: fold(s) in fold(row),
    "icontains": lambda row, s: fold(s) in fold(row),
    "startswith": lambda row, s: fold(row).startswith(fold(s)),
    "istartswith": lambda row, s: fold(row).startswith(fold(s)),
    "endswith": lambda row, s: fold(row).endswith(fold(s)),
    "iendswith": lambda row, s: fold(row).endswith(fold(s)),
}

PLACEHOLDER = {"sqlite": "?", "postgres": "$1", "mysql": "?"}


async def test_hostile_values_lookups_and_raw_parameters(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    tally = Tally()
    stored: list[str] = []
    async with untouched(dialect):
        await InjRow.objects.bulk_create([InjRow(name=p) for p in PLAIN])

        for s in HOSTILE:  # field values: create, then read back by primary key

            async def create(s: str = s) -> None:
                row = await InjRow.objects.create(name=s, note=s)
                back = await InjRow.objects.get(id=row.id)
                assert (back.name, back.note) == (s, s)

            if await tally.case("create", s, create):
                stored.append(s)

            async def update(s: str = s) -> None:  # update() and save() of an existing row
                row = await InjRow.objects.create(name="to-update")
                try:
                    await InjRow.objects.filter(id=row.id).update(note=s)
                    assert (await InjRow.objects.get(id=row.id)).note == s
                    row.note = s + "!"
                    await row.save()
                    assert (await InjRow.objects.get(id=row.id)).note == s + "!"
                finally:
                    await InjRow.objects.filter(id=row.id).delete()

            await tally.case("update/save", s, update)

        async def bulk() -> None:
            rows = await InjRow.objects.bulk_create([InjRow(name="bulk", note=s) for s in stored])
            got = {r.id: r.note for r in await InjRow.objects.filter(name="bulk").all()}
            assert [got[r.id] for r in rows] == stored
            await InjRow.objects.filter(name="bulk").delete()

        await tally.case("bulk_create", "<all stored>", bulk)

        names = await InjRow.objects.values_list("name", flat=True).all()
        assert sorted(names) == sorted(PLAIN + stored)  # nothing else appeared, nothing went missing
        for s in HOSTILE:  # every lookup, `in`, exclude and Q
            for lookup, matches in LOOKUPS.items():

                async def look(s: str = s, lookup: str = lookup, matches: Callable[[str, str], bool] = matches) -> None:
                    got = await InjRow.objects.filter(**{f"name__{lookup}": s}).values_list("name", flat=True).all()
                    if s in stored:
                        assert s in got, f"{lookup} missed the row holding the value"
                    strays = [g for g in got if g in PLAIN and not matches(g, s)]
                    assert not strays, f"{lookup} matched unrelated rows {strays}"

                await tally.case(f"filter name__{lookup}", s, look)

            async def listed(s: str = s) -> None:
                got = await InjRow.objects.filter(name__in=[s, "zzplain0"]).values_list("name", flat=True).all()
                assert "zzplain0" in got and (s not in stored or s in got)
                assert not [g for g in got if g in PLAIN and g != "zzplain0" and not LOOKUPS["exact"](g, s)]

            await tally.case("filter name__in", s, listed)

            async def excluded(s: str = s) -> None:
                kept = await InjRow.objects.exclude(name=s).count()
                hit = await InjRow.objects.filter(name=s).count()
                assert kept + hit == len(PLAIN) + len(stored)
                either = await InjRow.objects.filter(Q(name=s) | Q(name="zzplain1")).count()
                assert either >= 1 + (s in stored)

            await tally.case("exclude / Q", s, excluded)

            async def raw(s: str = s) -> None:
                rows = await execute_raw(f"SELECT {PLACEHOLDER[dialect]} AS v", [s])
                assert rows[0]["v"] == s
                ph = ", ".join(PLACEHOLDER[dialect].replace("1", str(i)) for i in (1, 2))
                await execute_raw(f"INSERT INTO rel_inj_row (name, note) VALUES ({ph})", ["raw", s])
                assert await InjRow.objects.filter(name="raw").values_list("note", flat=True).all() == [s]
                await InjRow.objects.filter(name="raw").delete()

            await tally.case("raw parameter", s, raw)
        assert sorted(await InjRow.objects.values_list("name", flat=True).all()) == sorted(PLAIN + stored)
    tally.check()
    report_figure("injection", tally.line(dialect, "values, lookups, in, exclude/Q, raw parameters"))


async def test_hostile_names_in_queries(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    """order_by/values/filter names are refused unless they name a field; annotate aliases come back literally."""
    tally = Tally()
    async with untouched(dialect):
        row = await InjRow.objects.create(name="n")
        for s in [*HOSTILE[:-2], "name; DROP TABLE rel_inj_guard", "name, id", "name--", "name\x00"]:
            for label, build in {
                # "?" is order_by's random order, a feature rather than a name
                "order_by": lambda s: InjRow.objects.order_by(s if s != "?" else "??").all(),
                "order_by desc": lambda s: InjRow.objects.order_by("-" + s).all(),
                "values": lambda s: InjRow.objects.values(s).all(),
                "values_list": lambda s: InjRow.objects.values_list(s, flat=True).all(),
                "filter key": lambda s: InjRow.objects.filter(**{s: "n"}).all(),
            }.items():

                async def refused(s: str = s, build: Callable[[str], Awaitable[Any]] = build) -> None:
                    await build(s)
                    raise AssertionError("a name that is no field went through")

                assert not await tally.case(label, s, refused)

            async def alias(s: str = s) -> None:
                query = InjRow.objects.filter(id=row.id).annotate(**{s: F("id")})
                assert await query.values("name").all() == [{"name": "n", s: row.id}]
                assert await query.values("name", s).all() == [{"name": "n", s: row.id}]  # named explicitly

            await tally.case("annotate alias", s, alias)
    tally.check()
    report_figure("injection", tally.line(dialect, "order_by/values/filter names, annotate aliases"))


def table_model(table: str, column: str) -> type[Model]:
    class InjDefined(Model):
        id: int | None = Field(default=None, db_pk=True)
        val: str = Field(db_column=column)

        class Meta:
            is_table = True
            table_name = table

    return InjDefined


def quote(name: str, dialect: str) -> str:
    mark = "`" if dialect == "mysql" else '"'
    return mark + name.replace(mark, mark * 2) + mark


IDENTIFIERS = [s for s in HOSTILE if len(s) < 40] + ["t" * 70]


async def test_hostile_table_and_column_names_in_model_definitions(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    # A name refused must be refused by us or the server (DatabaseError, or the RuntimeError of DDL
    # rendering), not surface as a missing field (a pydantic ValueError) when the row is read back.
    tally = Tally(clear=(OxydeError, RuntimeError))
    async with untouched(dialect):
        for s in IDENTIFIERS:
            table, column = "rel_inj_t" + s, "c" + s
            try:
                model = table_model(table, column)
            except CLEAR:
                tally.outcomes["refused"] += 1
                continue

            async def defined(model: type[Model] = model, table: str = table) -> None:
                finalize_pending()
                try:
                    for op in table_ops(model, dialect):
                        await database.execute(op)
                    row = await model.objects.create(val="v")
                    assert [(r.id, r.val) for r in await model.objects.filter(val="v").all()] == [(row.id, "v")]
                    assert await model.objects.filter(id=row.id).values_list("val", flat=True).all() == ["v"]
                finally:
                    drop = f"DROP TABLE IF EXISTS {quote(table, dialect)}"
                    try:
                        await execute_raw(drop)
                    except CLEAR:  # a name the server refused to create cannot be dropped either
                        pass

            try:
                await tally.case("table_name/db_column", s, defined)
            finally:
                unregister_table(model)
    tally.check()
    report_figure("injection", tally.line(dialect, "table_name and db_column"))


MIGRATION_NAMES = [s for s in HOSTILE if len(s) < 200] + ["../escaped", "sub/dir", "/abs", "x" * 300]


def test_hostile_migration_names_stay_in_the_migrations_directory(tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    ops = [{"type": "drop_table", "name": "nothing"}]
    refused = 0
    for s in MIGRATION_NAMES:
        try:
            path = generate_migration_file(ops, root, name=s)
        except CLEAR as exc:
            assert "migration name" in str(exc)
            refused += 1
            continue
        assert path.parent == root and path.stem.endswith(s) and path.exists()
        path.unlink()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == [Path("migrations")]
    assert refused  # at least the path-like names


async def test_hostile_migration_names_in_the_tracking_table(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    tally = Tally()
    await get_applied_migrations()  # creates the tracking table before the schema is compared
    async with untouched(dialect):
        for s in HOSTILE:

            async def tracked(s: str = s) -> None:
                before = await get_applied_migrations()
                await record_migration(s)
                try:
                    assert await get_applied_migrations() == [*before, s]
                finally:
                    await remove_migration(s)
                assert await get_applied_migrations() == before

            await tally.case("tracking table", s, tracked)
    tally.check()
    report_figure("injection", tally.line(dialect, "migration names in the tracking table"))
