"""Export and import between installs for administrators (`vidjil-local export` / `import` on the
page): `/api/admin/exchange/exports` (write an archive of a group's or chosen sets, then download
it) and `/api/admin/exchange/imports` (upload an archive: its manifest and config mapping; then
import it for a group, or discard it)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import anyio
import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter
from litestar.response import File

from vidjil_local.api.context import AppContext
from vidjil_local.api.opened_files import file_answer, open_stored
from vidjil_local.api.params import Id
from vidjil_local.api.request_body import body_to_file
from vidjil_local.errors import UsageError
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.exchange import export, transfers
from vidjil_local.services.exchange.transfers import ExportDone, ImportDone, ImportPreview

MAX_ARCHIVE = 64 * 1024**3  # with sequence files an archive is large; streamed to disk
MAX_SETS = 10_000


Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Token = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{32}$")]


class ExportRequest(msgspec.Struct, forbid_unknown_fields=True):
    group: Name | None = None  # a group's id or name: every set it may read
    set_ids: Annotated[list[Id], msgspec.Meta(max_length=MAX_SETS)] = msgspec.field(
        default_factory=list
    )  # or chosen sets
    with_sequences: bool = False


class ImportRequest(msgspec.Struct, forbid_unknown_fields=True):
    group: Name  # the group here that gets the sets (id or name)
    configs: Annotated[dict[Name, Name], msgspec.Meta(max_length=1000)] = msgspec.field(
        default_factory=dict
    )  # archived id -> id or name here
    fingerprint: Annotated[str, msgspec.Meta(max_length=100)] | None = None  # told out of band


class ExchangeController(Controller):
    path = "/api/admin/exchange"
    tags = ("admin",)

    @post("/exports", operation_id="exportSets", sync_to_thread=True, status_code=201)
    def export_sets(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[ExportRequest],
    ) -> ExportDone:
        """Write an archive of a group's sets or of chosen sets (sequence files optional), to
        download with its token; its fingerprint is to be sent to the importer another way."""
        if (data.group is None) == (not data.set_ids):
            raise UsageError("choose either a group or one or more sets")
        scope = export.Scope(group=data.group, set_ids=tuple(data.set_ids))
        return transfers.export_for_download(
            context.database, context.settings, actor, scope=scope,
            with_sequences=data.with_sequences,
        )  # fmt: skip

    @get("/exports/{token:str}", operation_id="downloadExport", sync_to_thread=True)
    def download(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        token: Token,
    ) -> File:
        """The archive written by `exportSets` (kept a day)."""
        path = transfers.exported(context.settings.data_dir, token)
        name = transfers.download_name(path)
        opened = open_stored(path, "the exported archive")  # whole even if it expires meanwhile
        return file_answer(opened, name, "application/zip")

    @post(
        "/imports",
        operation_id="uploadImport",
        status_code=201,
        request_max_body_size=MAX_ARCHIVE,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
    ) -> ImportPreview:
        """Receive an archive (the raw body, `Content-Type: application/zip`) and check it whole:
        its manifest, sets and counts, and how its configs map here. A damaged, tampered or
        foreign archive is refused (422) and not kept."""
        token, path = transfers.new_upload(context.settings.data_dir)
        part = path.with_name(path.name + ".part")
        try:
            if await body_to_file(request, part) == 0:
                raise UsageError("send the archive (.zip) as the request body")
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
        return await anyio.to_thread.run_sync(
            transfers.preview, context.database, context.settings.data_dir, token
        )

    @post("/imports/{token:str}", operation_id="runImport", sync_to_thread=True, status_code=201)
    def run_import(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        token: Token,
        data: JSONBody[ImportRequest],
    ) -> ImportDone:
        """Import the uploaded archive for a group, each archived config mapped (by default to
        the config here of the same name, program and germline); refused whole, writing
        nothing, while a config is unmapped or when the fingerprint differs."""
        return transfers.run_import(
            context.database, context.settings, actor, token,
            group=data.group, configs=data.configs, fingerprint=data.fingerprint,
        )  # fmt: skip

    @delete("/imports/{token:str}", operation_id="discardImport", sync_to_thread=True)
    def discard(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        token: Token,
    ) -> None:
        """Forget an uploaded archive without importing it."""
        transfers.discard(context.settings.data_dir, token)
