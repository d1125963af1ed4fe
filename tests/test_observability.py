"""The ``oxyde.sql`` log (Rust events bridged to Python logging) and OpenTelemetry spans, on every database."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from oxyde import Field, Model, atomic, execute_raw
from oxyde.db import AsyncDatabase, configure_sql_logging
from oxyde.db import otel as oxyde_otel
from oxyde.exceptions import IntegrityError

SQL_LOGGER = "oxyde.sql"


class ObsItem(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(db_unique=True)
    weight: int = 0

    class Meta:
        is_table = True
        table_name = "obs_item"


@pytest.fixture
def sql_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger=SQL_LOGGER)
    yield caplog
    configure_sql_logging()  # back to the defaults: no params, 1 s threshold


def statements(caplog: pytest.LogCaptureFixture, table: str = "obs_item") -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == SQL_LOGGER and table in r.getMessage()]


async def test_each_statement_is_logged_with_sql_rows_and_duration(
    database: AsyncDatabase, sql_log: pytest.LogCaptureFixture
) -> None:
    await ObsItem.objects.bulk_create([ObsItem(name=f"n{i}", weight=i) for i in range(3)])
    sql_log.clear()
    rows = await ObsItem.objects.filter(weight__gte=1).order_by("id").all()
    assert [r.name for r in rows] == ["n1", "n2"]
    (record,) = statements(sql_log)
    assert record.levelno == logging.DEBUG
    assert record.sql.startswith("SELECT") and "obs_item" in record.sql  # type: ignore[attr-defined]
    assert record.rows == 2  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]
    assert record.database == "default"  # type: ignore[attr-defined]
    assert "1 params, 2 rows" in record.getMessage()
    assert "params [" not in record.getMessage()  # values stay out unless asked for


async def test_writes_report_affected_rows(database: AsyncDatabase, sql_log: pytest.LogCaptureFixture) -> None:
    await ObsItem.objects.bulk_create([ObsItem(name=f"w{i}") for i in range(4)])
    sql_log.clear()
    assert await ObsItem.objects.filter(name__in=["w1", "w2", "w3"]).update(weight=7) == 3
    (record,) = statements(sql_log)
    assert record.sql.startswith("UPDATE")  # type: ignore[attr-defined]
    assert record.rows == 3  # type: ignore[attr-defined]


async def test_parameter_values_only_when_turned_on(database: AsyncDatabase, sql_log: pytest.LogCaptureFixture) -> None:
    configure_sql_logging(log_params=True)
    await ObsItem.objects.filter(name="secret-value").all()
    (record,) = statements(sql_log)
    assert "secret-value" in record.getMessage()
    configure_sql_logging(log_params=False)
    sql_log.clear()
    await ObsItem.objects.filter(name="secret-value").all()
    (record,) = statements(sql_log)
    assert "secret-value" not in record.getMessage()


async def test_failed_statement_is_logged_with_its_error(
    database: AsyncDatabase, sql_log: pytest.LogCaptureFixture
) -> None:
    await ObsItem.objects.create(name="dup")
    sql_log.clear()
    with pytest.raises(IntegrityError):
        await ObsItem.objects.create(name="dup")
    (record,) = statements(sql_log)
    assert "failed:" in record.getMessage()


async def test_slow_statements_warn_above_the_threshold(
    database: AsyncDatabase, sql_log: pytest.LogCaptureFixture
) -> None:
    sql_log.set_level(logging.WARNING, logger=SQL_LOGGER)
    await ObsItem.objects.count()
    assert statements(sql_log) == []  # fast enough for the default threshold, DEBUG off
    configure_sql_logging(slow_query_threshold=0.0)
    await ObsItem.objects.count()
    (record,) = statements(sql_log)
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("slow statement: SELECT")
    configure_sql_logging(slow_query_threshold=None)
    sql_log.clear()
    await ObsItem.objects.count()
    assert statements(sql_log) == []


async def test_logger_off_means_no_records(database: AsyncDatabase, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger=SQL_LOGGER)
    await ObsItem.objects.create(name="quiet")
    assert await ObsItem.objects.count() == 1
    assert [r for r in caplog.records if r.name == SQL_LOGGER] == []


def test_threshold_must_be_a_non_negative_number() -> None:
    with pytest.raises(ValueError, match="slow_query_threshold"):
        configure_sql_logging(slow_query_threshold=-1)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    oxyde_otel.instrument(tracer_provider=provider)
    yield exporter
    oxyde_otel.uninstrument()


async def test_one_span_per_statement_with_semantic_attributes(
    database: AsyncDatabase, dialect: str, spans: InMemorySpanExporter
) -> None:
    tracer = TracerProvider().get_tracer("test")
    provider_tracer = oxyde_otel.TRACER
    assert provider_tracer is not None
    await ObsItem.objects.create(name="traced", weight=3)
    spans.clear()
    with tracer.start_as_current_span("request") as parent:
        found = await ObsItem.objects.filter(weight=3).all()
    assert [r.name for r in found] == ["traced"]
    (span,) = [s for s in spans.get_finished_spans() if s.attributes.get("db.collection.name") == "obs_item"]
    assert span.name == "SELECT obs_item"
    assert span.kind is SpanKind.CLIENT
    attrs = span.attributes
    assert attrs["db.system"] == {"postgres": "postgresql", "sqlite": "sqlite", "mysql": "mysql"}[dialect]
    assert attrs["db.operation.name"] == "SELECT"
    assert str(attrs["db.query.text"]).startswith("SELECT") and "obs_item" in str(attrs["db.query.text"])
    if dialect == "sqlite":  # the file as the URL names it, absolute here (sqlite:////...)
        assert attrs["db.namespace"] == database.url.removeprefix("sqlite:///")
        assert str(attrs["db.namespace"]).startswith("/")
    else:
        assert attrs["db.namespace"] == database.url.rsplit("/", 1)[1]
    assert "traced" not in str(attrs)  # parameter values never become attributes
    assert span.parent is not None and span.parent.span_id == parent.get_span_context().span_id


async def test_spans_inside_a_transaction_and_on_failure(database: AsyncDatabase, spans: InMemorySpanExporter) -> None:
    await ObsItem.objects.create(name="once")
    spans.clear()
    with pytest.raises(IntegrityError):
        async with atomic():
            await ObsItem.objects.filter(name="once").update(weight=1)
            await ObsItem.objects.create(name="once")
    finished = [s for s in spans.get_finished_spans() if s.attributes.get("db.collection.name") == "obs_item"]
    assert [s.name for s in finished] == ["UPDATE obs_item", "INSERT obs_item"]
    failed = finished[1]
    assert failed.status.status_code is StatusCode.ERROR
    assert failed.attributes["error.type"].endswith("Error")
    assert await ObsItem.objects.get(name="once") is not None


async def test_raw_sql_span_names_its_operation(database: AsyncDatabase, spans: InMemorySpanExporter) -> None:
    await execute_raw("SELECT 1 AS one")
    raw = [s for s in spans.get_finished_spans() if s.attributes.get("db.query.text") == "SELECT 1 AS one"]
    assert [s.attributes["db.operation.name"] for s in raw] == ["SELECT"]
