"""The metrics measured on the database, in one read snapshot, as JSON-ready values and as the
Prometheus text exposition format (written by prometheus_client, the reference implementation,
so scrapers and its parser agree with it)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.services.metrics.catalog import Metric, chosen

PREFIX = "vidjil_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class MetricSample:
    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class MetricValues:
    name: str
    list_name: str  # fast or long
    help: str
    labels: list[str]
    values: list[MetricSample]
    seconds: float  # time taken by its query (Vidjil's request_times)


@dataclass(frozen=True)
class MetricsReport:
    list_name: str  # fast, long or all
    generated_at: str
    metrics: list[MetricValues]
    seconds: float


def measure(database: Database, which: str) -> MetricsReport:
    """Every metric of the list `which`, all read in one snapshot of the database."""
    started = time.perf_counter()
    connection = database.db().conn
    connection.execute("BEGIN")  # one read transaction: the metrics agree with each other
    try:
        measured = [_measure(connection, metric) for metric in chosen(which)]
    finally:
        connection.execute("COMMIT")
    return MetricsReport(which, now(), measured, time.perf_counter() - started)


def _measure(connection: sqlite3.Connection, metric: Metric) -> MetricValues:
    started = time.perf_counter()
    rows = connection.execute(metric.query, metric.parameters).fetchall()
    values = [
        MetricSample(
            labels={name: str(value) for name, value in zip(metric.labels, row[:-1], strict=True)},
            value=float(row[-1] or 0),
        )
        for row in rows
    ]
    return MetricValues(
        metric.name, metric.list_name, metric.help, list(metric.labels), values,
        time.perf_counter() - started,
    )  # fmt: skip


class _ReportCollector(Collector):
    def __init__(self, report: MetricsReport) -> None:
        self.report = report

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for metric in self.report.metrics:
            family = GaugeMetricFamily(PREFIX + metric.name, metric.help, labels=metric.labels)
            for sample in metric.values:
                family.add_metric([sample.labels[name] for name in metric.labels], sample.value)
            yield family


def prometheus_text(report: MetricsReport) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_ReportCollector(report))
    return generate_latest(registry)
