"""Germline sets: `/api/germlines` (list for everyone, import and delete for admins)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import anyio
import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from vidjil_local.api.context import AppContext
from vidjil_local.api.request_body import body_to_file
from vidjil_local.errors import UsageError
from vidjil_local.services import audit
from vidjil_local.services.analyses import germlines
from vidjil_local.services.authz import Principal

MAX_ARCHIVE = 200 * 1024 * 1024


class GeneSequences(msgspec.Struct):
    germline: str
    genes: dict[str, str]


class GermlineController(Controller):
    path = "/api/germlines"
    tags = ("germlines",)

    @get("/", operation_id="listGermlines", sync_to_thread=True)
    def list_sets(
        self, context: NamedDependency[AppContext], principal: NamedDependency[Principal]
    ) -> list[dict[str, Any]]:
        """The germline sets analysis configs may name: the bundled human set and imported ones."""
        return [asdict(info) for info in germlines.list_sets(context.settings)]

    @get("/{name:str}/genes", operation_id="getGermlineGenes", sync_to_thread=True)
    def gene_sequences(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        name: FromPath[str],
        genes: FromQuery[str],
    ) -> GeneSequences:
        """The germline sequences of some genes of a set (comma-separated allele names, at most
        50), which the results viewer lays under a clone; genes the set lacks are left out."""
        names = [gene.strip() for gene in genes.split(",") if gene.strip()]
        found = germlines.gene_sequences(context.settings, name=name, genes=names)
        return GeneSequences(germline=name, genes=found)

    @post(
        "/",
        operation_id="importGermline",
        status_code=201,
        request_max_body_size=MAX_ARCHIVE,
    )
    async def import_set(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        name: FromQuery[str],
    ) -> dict[str, Any]:
        """Import a zipped Vidjil germline folder (a `.g` preset and its FASTA files), sent as
        the raw body (`Content-Type: application/zip`), under the given name."""
        archive = await _receive(request, context.settings.data_dir)
        try:
            info = await anyio.to_thread.run_sync(
                germlines.import_archive,
                context.database,
                context.settings,
                actor,
                name,
                archive,
            )
        finally:
            archive.unlink(missing_ok=True)
        return asdict(info)

    @delete("/{name:str}", operation_id="deleteGermline", sync_to_thread=True, status_code=204)
    def delete_set(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        name: FromPath[str],
    ) -> None:
        germlines.delete_set(context.database, context.settings, actor, name)


async def _receive(request: Request[Any, Any, Any], data_dir: Path) -> Path:
    """Stream the body to a temporary file in the data dir (never all in memory)."""
    descriptor, name = tempfile.mkstemp(prefix=".germline-", suffix=".zip", dir=data_dir)
    os.close(descriptor)
    archive = Path(name)
    try:
        if await body_to_file(request, archive) == 0:
            raise UsageError("send the zip archive as the request body")
    except BaseException:  # empty, too large or cut short: nothing left behind
        archive.unlink(missing_ok=True)
        raise
    return archive
