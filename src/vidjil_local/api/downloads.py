"""Downloads beyond single files: the log of an analysis (`/api/results/{id}/log`), the zip of a
whole set (`/api/sample-sets/{id}/archive.zip`), and the on-the-fly comparison of chosen
results from any sets (`/api/compare.vidjil`). Each needs the `read` right on the sets involved;
another lab's ids are not found."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Stream

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import PathId
from vidjil_local.api.results import RESULT_ACCESS
from vidjil_local.api.set_labels import set_label
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.access import ResultAccess
from vidjil_local.services.results.compare import Comparison, parse_result_ids
from vidjil_local.services.results.downloads import SetArchive, result_log, stream_archive
from vidjil_local.services.samples import sample_sets


class DownloadsController(Controller):
    path = "/api"
    tags = ("results",)
    dependencies = RESULT_ACCESS

    @get("/results/{result_id:int}/log", operation_id="downloadResultLog", sync_to_thread=True,
         media_type="text/plain")  # fmt: skip
    def log(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        result_id: PathId,
    ) -> Response[str]:
        """The analysis log: sample, config, job, program and command line, read counts per
        locus and the program's statistics (reads not analysed, by cause)."""
        text, name = result_log(access, principal, actor, result_id)
        return Response(
            text,
            media_type="text/plain; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    @get("/sample-sets/{set_id:int}/archive.zip", operation_id="downloadSetArchive",
         sync_to_thread=True, media_type="application/zip")  # fmt: skip
    def archive(
        self,
        context: NamedDependency[AppContext],
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        reads: FromQuery[bool] = False,
    ) -> Stream:
        """A zip of the set's results: `metadata.json` (the set, its samples and results), the
        fused `.vidjil` per config, each sample's latest `.vidjil`, AIRR TSV and log per config,
        the latest `.analysis`, and with `reads=true` the reads files too. Streamed."""
        shown = sample_sets.get(context.database, principal, set_id)
        entries = SetArchive(access, context.settings).entries(
            principal, actor, shown, with_reads=reads
        )
        return Stream(
            stream_archive(entries),
            media_type="application/zip",
            headers={"content-disposition": f'attachment; filename="set-{set_id}.zip"'},
        )

    @get("/compare.vidjil", operation_id="compareResults", sync_to_thread=True)
    def compare(
        self,
        context: NamedDependency[AppContext],
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        results: FromQuery[str],
    ) -> Response[dict[str, Any]]:
        """The chosen results (`results=12,15`, 1 to 20 result ids, from any sets you may read)
        fused on one time-course graph, on the fly: nothing is stored."""
        comparison = Comparison(access)
        document = comparison.document(
            principal,
            actor,
            parse_result_ids(results),
            lambda set_id: set_label(context.database, principal, set_id),
        )
        return Response(document, media_type=MediaType.JSON)
