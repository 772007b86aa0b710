"""The QC table of a set (Vidjil's "preview"): `/api/sample-sets/{id}/qc` and its TSV export
(the `read` right on the set)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import OptionalQueryId, PathId
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.qc import SetQuality, SetQualityTable
from vidjil_local.services.results.qc_tsv import quality_tsv


class SetQualityController(Controller):
    path = "/api/sample-sets/{set_id:int}"
    tags = ("results",)

    @get("/qc", operation_id="getSetQuality", sync_to_thread=True)
    def table(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        config_id: OptionalQueryId = None,
    ) -> SetQuality:
        """Per sample (and config): reads analysed, loci, clones of 5% or more, main clone,
        read lengths, diversity, and the clones also found in samples of other sets you may
        read (a contamination hint). Without `config_id`, every config with results."""
        qc = SetQualityTable(context.database, context.settings)
        return qc.table(principal, actor, set_id, config_id)

    @get("/qc.tsv", operation_id="exportSetQualityTsv", sync_to_thread=True,
         media_type="text/tab-separated-values")  # fmt: skip
    def tsv(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        config_id: OptionalQueryId = None,
    ) -> Response[str]:
        """The same table as a TSV file with a header row."""
        qc = SetQualityTable(context.database, context.settings)
        text = quality_tsv(qc.table(principal, actor, set_id, config_id))
        suffix = f"-config-{config_id}" if config_id is not None else ""
        name = f"qc-set-{set_id}{suffix}.tsv"
        return Response(
            text,
            media_type="text/tab-separated-values; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
