"""Administration of the server: `/api/admin/settings`, `/api/admin/status`, the logins slowed
down by wrong passwords `/api/admin/login-throttles`, the lab network's address and certificate
`/api/admin/network`, and the worker self-test `/api/admin/diagnostics`."""

from __future__ import annotations

import os
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.errors import Conflict
from vidjil_local.services import audit
from vidjil_local.services.accounts import users
from vidjil_local.services.accounts.throttles import Throttle
from vidjil_local.services.admin import server_settings, server_status
from vidjil_local.services.admin.diagnostics import DiagnosticsParams
from vidjil_local.services.admin.server_settings import (
    SecretStoreView,
    SettingInput,
    SettingView,
)
from vidjil_local.services.admin.server_status import ServerStatus
from vidjil_local.services.authz import Principal
from vidjil_local.services.network.status import NetworkStatus, network_status

MAX_DIAGNOSTICS_SECONDS = 600


class SettingChange(msgspec.Struct, forbid_unknown_fields=True):
    value: SettingInput


class SettingChanged(msgspec.Struct):
    setting: SettingView
    restart_required: bool


class DiagnosticsRequest(msgspec.Struct, forbid_unknown_fields=True):
    seconds: Annotated[float, msgspec.Meta(gt=0, le=MAX_DIAGNOSTICS_SECONDS)] = 1.0


class AdminController(Controller):
    path = "/api/admin"
    tags = ("admin",)

    @get("/settings", operation_id="listSettings", sync_to_thread=True)
    def list_settings(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> list[SettingView]:
        """Every setting: its help, default, value in use (secrets hidden) and where it comes
        from."""
        return server_settings.list_settings(context.settings, os.environ)

    @get("/secret-store", operation_id="getSecretStore", sync_to_thread=True)
    def secret_store(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> SecretStoreView:
        """Where the secret settings are kept: the OS keyring, or files (and why)."""
        return server_settings.secret_store_view(context.settings)

    @put("/settings/{name:str}", operation_id="changeSetting", sync_to_thread=True)
    def change_setting(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        name: FromPath[str],
        data: JSONBody[SettingChange],
    ) -> SettingChanged:
        """Validate and store a setting; applied at once unless `restart_required`."""
        change = server_settings.change(
            context.database,
            actor,
            context,
            os.environ,
            name,
            data.value,
        )
        return SettingChanged(change.view, change.restart_required)

    @get("/status", operation_id="getServerStatus", sync_to_thread=True)
    def status(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> ServerStatus:
        """Health, uptime, disk, database size, counts, jobs by state and the last jobs."""
        return server_status.status(
            context.settings, context.database, context.runtime, context.started_at
        )

    @get("/login-throttles", operation_id="listLoginThrottles", sync_to_thread=True)
    def login_throttles(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> list[Throttle]:
        """Accounts and client addresses slowed down by wrong passwords (logins there wait until
        `throttled_until`), or with a wrong password in the last hour."""
        return users.login_throttles(context.database)

    @delete("/login-throttles", operation_id="liftLoginThrottles", sync_to_thread=True)
    def lift_login_throttles(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
    ) -> None:
        """Let every account and address log in again at once (their wrong passwords are
        forgotten; an administrator's locks stay)."""
        users.lift_login_throttles(context.database, actor)

    @get("/network", operation_id="getNetworkStatus", sync_to_thread=True)
    def network(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> NetworkStatus:
        """Whether the lab's other computers reach the app, at which HTTPS address, and the
        certificate's SHA-256 fingerprint they compare before trusting it."""
        return network_status(context.settings, context.network_port)

    @post("/diagnostics", operation_id="runDiagnostics", sync_to_thread=True, status_code=202)
    def diagnostics(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[DiagnosticsRequest],
    ) -> dict[str, Any]:
        """Queue the worker self-test job: a short CPU-bound run that proves workers answer."""
        if context.runtime is None:
            raise Conflict("the job system is not running in this server")
        job = context.runtime.submit(
            "diagnostics", DiagnosticsParams(seconds=data.seconds), user_id=admin.user_id
        )
        audit.record_now(
            context.database, actor, "run_diagnostics", table_name="jobs",
            record_id=job.id,
        )  # fmt: skip
        return job.to_dict()
