"""`GET /api/health`: is the app usable, and what is it running."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from vidjil_local.api.context import AppContext
from vidjil_local.services.admin import health


class HealthController(Controller):
    path = "/api/health"
    tags = ("status",)

    @get("/", operation_id="getHealth", sync_to_thread=False, summary="Health and versions")
    def health(self, context: NamedDependency[AppContext]) -> health.Health:
        return health.check(context.settings, context.database, context.runtime, context.started_at)
