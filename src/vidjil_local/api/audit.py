"""The audit trail: `/api/audit` and its CSV export for administrators, and the trail of one
sample set for the users holding the `admin` right on it."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Stream

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Limit, Offset, OptionalQueryId, PathId
from vidjil_local.services import authz
from vidjil_local.services.admin import audit_log
from vidjil_local.services.admin.audit_log import AuditFilter, AuditPage
from vidjil_local.services.authz import Principal


class AuditController(Controller):
    path = "/api"
    tags = ("audit",)

    @get("/audit", operation_id="listAudit", sync_to_thread=True)
    def list_entries(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        table: FromQuery[str | None] = None,
        record_id: OptionalQueryId = None,
        user_id: OptionalQueryId = None,
        action: FromQuery[str | None] = None,
        since: FromQuery[str | None] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> AuditPage:
        """Newest first; `since` is an ISO date or time (UTC when it has no zone)."""
        where = AuditFilter(table, record_id, user_id, action, since)
        return audit_log.search(context.database, where, limit, offset)

    @get("/audit.csv", operation_id="exportAuditCsv", media_type="text/csv")
    async def export_csv(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        table: FromQuery[str | None] = None,
        record_id: OptionalQueryId = None,
        user_id: OptionalQueryId = None,
        action: FromQuery[str | None] = None,
        since: FromQuery[str | None] = None,
    ) -> Stream:
        """The same filters as the list, every matching row, as a CSV file with a header row."""
        where = AuditFilter(table, record_id, user_id, action, since)
        audit_log.check(where)
        return Stream(
            audit_log.export_csv(context.database, where),
            media_type="text/csv",  # Litestar adds "; charset=utf-8"
            headers={"content-disposition": 'attachment; filename="audit.csv"'},
        )

    @get("/sample-sets/{set_id:int}/audit", operation_id="listSampleSetAudit",
         sync_to_thread=True)  # fmt: skip
    def set_entries(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        set_id: PathId,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> AuditPage:
        """What was done to this set and its samples; needs the `admin` right on the set."""
        authz.require(context.database, principal, "admin", set_id)
        where = AuditFilter(sample_set_id=set_id)
        return audit_log.search(context.database, where, limit, offset)
