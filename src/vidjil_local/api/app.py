"""`create_app(settings)`: the Litestar application of one data dir.

Start-up applies the pending migrations (after a checked copy of the database), puts right what
a kill left in the data folder and starts the in-app job runtime; shut-down stops it. Nothing
happens at import time.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Router
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from vidjil_local import __version__
from vidjil_local.api.admin import AdminController
from vidjil_local.api.analyses import JobsController, SetAnalysesController
from vidjil_local.api.audit import AuditController
from vidjil_local.api.auth import AuthController, LaunchController
from vidjil_local.api.backups import BackupsController
from vidjil_local.api.configs import ConfigController
from vidjil_local.api.context import AppContext
from vidjil_local.api.csrf import csrf_middleware
from vidjil_local.api.downloads import DownloadsController
from vidjil_local.api.edge import CheckedRequest, EdgeGuard, security_headers
from vidjil_local.api.email import AccountController, EmailController
from vidjil_local.api.error_docs import document_errors
from vidjil_local.api.errors import handle_exception
from vidjil_local.api.exchange import ExchangeController
from vidjil_local.api.germlines import GermlineController
from vidjil_local.api.groups import GroupController
from vidjil_local.api.guards import (
    provide_actor,
    provide_admin,
    provide_context,
    provide_principal,
)
from vidjil_local.api.health import HealthController
from vidjil_local.api.logs import LogsController
from vidjil_local.api.metrics import MetricsController
from vidjil_local.api.qc import SetQualityController
from vidjil_local.api.quit import QuitController
from vidjil_local.api.request_log import request_log_middleware
from vidjil_local.api.results import ResultsController, SetResultsController
from vidjil_local.api.sample_sets import SampleSetController
from vidjil_local.api.samples import FileSourceController, SamplesController, SetSamplesController
from vidjil_local.api.session_store import CachedFileStore
from vidjil_local.api.sessions import RotatingSessionConfig
from vidjil_local.api.transport import https_headers
from vidjil_local.api.users import UserController, change_own_password
from vidjil_local.api.workers import WorkerController, WorkersAdminController
from vidjil_local.db import Database, forget_upgrade_copies, upgrade_database
from vidjil_local.jobs import JobRuntime
from vidjil_local.jobs.kinds import JobKind
from vidjil_local.services.backups import BackupScheduler
from vidjil_local.services.metrics.account import ensure_metrics_account
from vidjil_local.services.notifications.sender import MailSender
from vidjil_local.services.results.leftovers import remove_leftovers
from vidjil_local.services.samples.leftovers import restore_unrecorded_parts
from vidjil_local.settings import Settings, secrets_of

log = logging.getLogger(__name__)
SWAGGER_VERSION = "5.35.0"
VENDOR = "/vendor/swagger-ui"
API_SCHEMA_PATH = "/api/schema"
MAX_JSON_BODY = 2 * 1024**2  # every JSON body; routes taking files or .analysis set their own


def static_dir() -> Path:
    """The package's static files (the built client, vendored assets) as a real directory."""
    return Path(str(resources.files("vidjil_local") / "static"))


def create_app(
    settings: Settings,
    *,
    start_jobs: bool = True,
    extra_job_kinds: Mapping[str, JobKind[Any]] | None = None,
    network_port: int | None = None,
) -> Litestar:
    secret = settings.session_secret_key or secrets_of(settings).get_or_create("session_secret_key")
    settings = settings.with_values(session_secret_key=secret)  # the key in use, made or read
    database = Database(settings.database_path)
    runtime = JobRuntime(settings, database, extra_job_kinds) if start_jobs else None
    backups = BackupScheduler(settings, database) if start_jobs else None
    context = AppContext(
        settings=settings, database=database, runtime=runtime, backups=backups,
        network_port=network_port,
    )  # fmt: skip
    sender = MailSender(lambda: context.settings, database)
    context.mail_sender = sender
    if runtime is not None:
        runtime.on_job_end = sender.job_ended

    def on_startup(app: Litestar) -> None:
        for folder in (settings.data_dir, settings.sequences_dir, settings.results_dir):
            folder.mkdir(parents=True, exist_ok=True)
        upgrade = upgrade_database(database, settings.data_dir / "backups")
        ensure_metrics_account(database, settings)
        sender.start()
        if runtime is not None:  # the instance that runs jobs owns the data folder
            restore_unrecorded_parts(database, settings)
            remove_leftovers(database, settings)
            runtime.start()
        forget_upgrade_copies(settings.data_dir / "backups", keep=upgrade.copy)
        if backups is not None:
            backups.start()
            if upgrade.copy is not None:
                backups.keep_upgrade_copy(upgrade.copy)

    def on_shutdown(app: Litestar) -> None:
        if backups is not None:
            backups.stop()
        if runtime is not None:
            runtime.stop()
        sender.stop()
        database.close()

    app = Litestar(
        route_handlers=[
            HealthController,
            AuthController,
            LaunchController,
            ConfigController,
            SetAnalysesController,
            JobsController,
            SetResultsController,
            ResultsController,
            SetQualityController,
            DownloadsController,
            SetSamplesController,
            SamplesController,
            FileSourceController,
            SampleSetController,
            GermlineController,
            UserController,
            change_own_password,
            GroupController,
            AuditController,
            AdminController,
            QuitController,
            LogsController,
            BackupsController,
            ExchangeController,
            EmailController,
            AccountController,
            MetricsController,
            WorkersAdminController,
            WorkerController,
            *_static_routers(),
        ],
        dependencies={
            # the same AppContext for every request of this app: resolved once
            "context": Provide(provide_context, sync_to_thread=False, use_cache=True),
            "principal": Provide(provide_principal, sync_to_thread=False),  # memoised reads
            "admin": Provide(provide_admin, sync_to_thread=False),
            "actor": Provide(provide_actor, sync_to_thread=False),
        },
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        state=_state(context),
        exception_handlers={Exception: handle_exception},
        stores={
            "sessions": CachedFileStore(settings.data_dir / "sessions", create_directories=True)
        },
        middleware=[
            request_log_middleware,  # outermost: it sees the session once the request is done
            RotatingSessionConfig(
                max_age=settings.login_expiration, samesite="strict", renew_on_access=False
            ).middleware,
            csrf_middleware(secret[:32]),  # innermost, where Litestar's own csrf_config puts it
        ],
        openapi_config=_openapi(),
        logging_config=LoggingConfig(
            configure_root_logger=False, log_exceptions="debug", disable_stack_trace={404, 401, 403}
        ),
        request_class=CheckedRequest,
        request_max_body_size=MAX_JSON_BODY,
        before_send=[security_headers, https_headers],
        debug=False,
    )
    app.asgi_handler = EdgeGuard(app.asgi_handler, context)  # before routing: every path
    document_errors(app)
    return app


def _state(context: AppContext) -> Any:
    from litestar.datastructures import State

    return State({"context": context})


def _openapi() -> OpenAPIConfig:
    vendor = VENDOR
    return OpenAPIConfig(
        title="vidjil-local API",
        version=__version__,
        description="The REST API of vidjil-local: every error answers with the envelope "
        '`{"error": {"code", "message", "details"}, "status"}`.',
        path=API_SCHEMA_PATH,
        render_plugins=[
            ScriptFileSwaggerPlugin(
                version=SWAGGER_VERSION,
                js_url=f"{vendor}/swagger-ui-bundle.js",
                css_url=f"{vendor}/swagger-ui.css",
                standalone_preset_js_url=f"{vendor}/swagger-ui-standalone-preset.js",
                path="/",
                favicon=f"<link rel='icon' type='image/png' href='{vendor}/favicon-32x32.png'>",
            )
        ],
    )


class ScriptFileSwaggerPlugin(SwaggerRenderPlugin):
    """Litestar's Swagger UI page, started by `vendor/swagger-ui/init.js` instead of an inline
    script (forbidden by the content security policy, `api/edge.py`)."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        schema_url = html.escape(f"{API_SCHEMA_PATH}/openapi.json", quote=True)
        return (
            f"<!DOCTYPE html><html><head><title>{title}</title>{self.favicon}"
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><link href="{self.css_url}" rel="stylesheet">'
            f'<script src="{self.js_url}"></script>'
            f'<script src="{self.standalone_preset_js_url}"></script>'
            f'<script src="{VENDOR}/init.js"></script></head><body>'
            f'<div id="swagger-container" data-schema-url="{schema_url}"></div></body></html>'
        ).encode()


def _static_routers() -> list[Router]:
    root = static_dir()
    routers = [
        create_static_files_router(
            path="/vendor", directories=[root / "vendor"], name="vendor", include_in_schema=False
        )
    ]
    client = root / "app"
    if (client / "index.html").exists():
        routers.append(
            create_static_files_router(
                path="/",
                directories=[client],
                html_mode=True,
                name="client",
                include_in_schema=False,
            )
        )
    return routers
