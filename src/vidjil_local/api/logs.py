"""The log files for administrators: `/api/admin/logs` (list), one log's last lines, download."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import File

from vidjil_local.api.context import AppContext
from vidjil_local.api.opened_files import file_answer, open_stored
from vidjil_local.services import audit
from vidjil_local.services.admin import log_files
from vidjil_local.services.admin.log_files import LogFile, LogLines
from vidjil_local.services.authz import Principal


class LogsController(Controller):
    path = "/api/admin/logs"
    tags = ("admin",)

    @get("/", operation_id="listLogs", sync_to_thread=True)
    def list_logs(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> list[LogFile]:
        """The app log and the request log, with their older rotated files."""
        return log_files.list_logs(context.settings)

    @get("/{name:str}", operation_id="readLog", sync_to_thread=True)
    def read(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        name: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=log_files.MAX_LINES)] = 500,
        search: FromQuery[str] = "",
    ) -> LogLines:
        """The last `limit` lines of a log, or of its lines holding `search`."""
        return log_files.read_lines(context.settings, name, limit=limit, search=search)

    @get("/{name:str}/download", operation_id="downloadLog", sync_to_thread=True,
         media_type=MediaType.TEXT)  # fmt: skip
    def download(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        name: FromPath[str],
    ) -> File:
        """The whole file (it names users and their addresses: the download is audited)."""
        path = log_files.log_path(context.settings, name)
        audit.record_now(context.database, actor, "download_log", table_name="logs", file=name)
        opened = open_stored(path, f"the log {name}")  # as it is now: rotation renames it
        return file_answer(opened, name, MediaType.TEXT)
