"""OpenTelemetry spans, one per statement (install the ``oxyde[otel]`` extra).

```python
from oxyde.db.otel import instrument
instrument()                      # the global tracer provider
instrument(tracer_provider=tp)    # or a given one
```

Spans are CLIENT spans named ``"<OPERATION> <table>"`` with the database
semantic-convention attributes: ``db.system``, ``db.namespace``,
``db.query.text``, ``db.operation.name``, ``db.collection.name``, and
``error.type`` when the statement fails. They are children of the span that
is current in the calling task. Parameter values are never attached.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from oxyde.db.pool import AsyncDatabase

__all__ = ["instrument", "uninstrument"]

# The tracer while instrumented; the executors check it before every statement.
TRACER: Any = None

# Our dialect names -> the `db.system` values of the semantic conventions.
_DB_SYSTEM = {"postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql"}
_OPERATION = {"select": "SELECT", "insert": "INSERT", "update": "UPDATE", "delete": "DELETE"}


def instrument(tracer_provider: Any = None) -> None:
    """Start emitting a span per statement through ``tracer_provider`` (default: the global one)."""
    global TRACER
    try:
        from opentelemetry import trace
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("OpenTelemetry spans need the extra: pip install 'oxyde[otel]'") from exc
    from oxyde import _core

    TRACER = trace.get_tracer("oxyde", _core.__version__, tracer_provider=tracer_provider)


def uninstrument() -> None:
    """Stop emitting spans."""
    global TRACER
    TRACER = None


@contextmanager
def statement_span(ir: dict[str, Any], database: AsyncDatabase) -> Iterator[None]:
    """A span around one statement of ``database``; records a failure on it."""
    from opentelemetry.trace import SpanKind, Status, StatusCode

    attributes = _attributes(ir, database)
    name = " ".join(filter(None, (attributes["db.operation.name"], attributes.get("db.collection.name"))))
    with TRACER.start_as_current_span(
        name, kind=SpanKind.CLIENT, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield
        except BaseException as exc:
            span.set_attribute("error.type", type(exc).__qualname__)
            span.set_status(Status(StatusCode.ERROR, str(exc)))
            raise


def _attributes(ir: dict[str, Any], database: AsyncDatabase) -> dict[str, Any]:
    dialect = database.backend or ""
    sql = _sql_text(ir, dialect)
    op = str(ir.get("op", ""))
    operation = _OPERATION.get(op) or (sql.split(None, 1)[0].upper() if sql.strip() else op.upper())
    attributes: dict[str, Any] = {
        "db.system": _DB_SYSTEM.get(dialect, dialect),
        "db.namespace": _namespace(database.url, dialect),
        "db.query.text": sql,
        "db.operation.name": operation,
    }
    if ir.get("table"):
        attributes["db.collection.name"] = str(ir["table"])
    return attributes


def _sql_text(ir: dict[str, Any], dialect: str) -> str:
    if ir.get("op") == "raw":
        return str(ir.get("sql", ""))
    from oxyde import _core
    from oxyde._codec import pack_ir

    try:
        sql, _params = _core.render(pack_ir(ir), dialect)
    except Exception:  # the statement itself will raise the real error
        return ""
    return str(sql)


def _namespace(url: str, dialect: str) -> str:
    """The database name (SQLite: the file path as written), never the credentials."""
    parts = urlsplit(url)
    if dialect == "sqlite":
        # sqlite:///app.db is relative, sqlite:////srv/app.db absolute: one slash belongs to the URL
        return parts.path[1:] if parts.path.startswith("/") else parts.path
    return parts.path.lstrip("/")
