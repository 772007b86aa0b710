"""Backups for administrators: `/api/admin/backups` (state, what a backup holds, the history, the
backups in the folder), `POST` to back up now, and `/health` for the status page. The schedule,
folder and retention are settings (`/api/admin/settings`)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency

from vidjil_local.api.context import AppContext
from vidjil_local.errors import Conflict
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.backups import overview
from vidjil_local.services.backups.health import BackupHealth
from vidjil_local.services.backups.overview import BackupOverview
from vidjil_local.services.backups.runs import BackupRun


class BackupsController(Controller):
    path = "/api/admin/backups"
    tags = ("admin",)

    @get("/", operation_id="getBackups", sync_to_thread=True)
    def backups(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> BackupOverview:
        """Whether the data is backed up, what a backup holds and not, the last runs (with
        failures) and the backups kept in the backup folder."""
        return overview.overview(context.settings, context.database, _scheduler(context))

    @get("/health", operation_id="getBackupHealth", sync_to_thread=True)
    def health(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> BackupHealth:
        """The state shown on the status page: ok, running, failed, interrupted, missed, never or
        not_configured, with `alert` when the admins should act."""
        return _scheduler(context).health()

    @post("/", operation_id="runBackup", sync_to_thread=True, status_code=202)
    def run_now(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
    ) -> BackupRun:
        """Start a backup now into `backup_dir`; follow it in the history. While a backup runs
        (scheduled, by hand or from the command line) none is started beside it: 409 names the
        running one (`run_id`, `started_at`, `trigger`); the overview shows its progress."""
        run = _scheduler(context).run_now(admin.user_id)
        audit.record_now(
            context.database, actor, "run_backup", table_name="backup_runs", record_id=run.id
        )
        return run


def _scheduler(context: AppContext) -> overview.Scheduler:
    if context.backups is None:
        raise Conflict("backups are not scheduled in this server (started without its workers)")
    return context.backups
