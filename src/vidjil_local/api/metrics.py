"""`/api/metrics` (JSON) and `/api/metrics/prometheus` (Prometheus text exposition format): the
Vidjil admin guide's metrics, for administrators and the metrics group, logged in or with basic
authorization (a Prometheus scrape job's `basic_auth`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from vidjil_local.api.context import AppContext
from vidjil_local.services.metrics import access
from vidjil_local.services.metrics.values import (
    CONTENT_TYPE,
    MetricsReport,
    measure,
    prometheus_text,
)

Which = Annotated[
    Literal["fast", "long", "all"],
    QueryParameter(name="list", description="the guide's fast or long list, or all metrics"),
]


def _reader(request: Request[Any, Any, Any], context: AppContext) -> int:
    """The account reading: the session's user, else the basic authorization's."""
    session = request.scope.get("session")
    user_id = session.get("user_id") if isinstance(session, dict) else None
    if isinstance(user_id, int):
        access.require_reader(context.database, user_id)
        return user_id
    address = request.client.host if request.client else ""
    header = request.headers.get("authorization", "")
    return context.metrics_readers.user_of(context.database, context.settings, header, address)


class MetricsController(Controller):
    path = "/api/metrics"
    tags = ("metrics",)

    @get("/", operation_id="getMetrics", sync_to_thread=True)
    def metrics(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        which: Which = "all",
    ) -> MetricsReport:
        """The metrics of the guide's `fast` or `long` list (or `all`), each with its labels,
        values and query time."""
        _reader(request, context)
        return measure(context.database, which)

    @get("/prometheus", operation_id="getMetricsPrometheus", sync_to_thread=True,
         media_type=CONTENT_TYPE)  # fmt: skip
    def prometheus(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        which: Which = "all",
    ) -> Response[bytes]:
        """The same metrics in the Prometheus text exposition format (names prefixed
        `vidjil_`)."""
        _reader(request, context)
        return Response(prometheus_text(measure(context.database, which)), media_type=CONTENT_TYPE)
