"""Results: fused time-course of a set, clone lists, `.vidjil`/AIRR downloads, `.analysis` files.

Reading a result needs the `read` right on a set holding its sample; saving an `.analysis` needs
`save`. Reads of patient results are recorded in the audit log by the service.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File

from vidjil_local.api.context import AppContext
from vidjil_local.api.guards import actor_of
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.access import AnalysisVersion, ResultAccess, ResultRecord
from vidjil_local.services.results.clone_lists import ClonePage, CloneQuery

MAX_PAGE = 1000
MAX_ANALYSIS_BYTES = 50 * 1024**2


def access_of(context: AppContext) -> ResultAccess:
    return ResultAccess(context.database, context.settings.results_dir)


def clone_query(
    limit: int,
    offset: int,
    sort: str,
    locus: str | None,
    productive: bool | None,
    search: str | None,
    sample: int = 0,
) -> CloneQuery:
    return CloneQuery(
        limit=min(max(limit, 0), MAX_PAGE),
        offset=max(offset, 0),
        sort=sort,
        locus=locus,
        productive=productive,
        search=search,
        sample=sample,
    )


class SetResultsController(Controller):
    path = "/api/sample-sets/{set_id:int}"
    tags = ("results",)

    @get("/results", operation_id="getFusedResult", sync_to_thread=True)
    def fused(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        set_id: FromPath[int],
        config_id: FromQuery[int],
    ) -> File:
        """The set's multi-sample `.vidjil` for this config (latest result of each sample)."""
        actor = actor_of(request, principal)
        path = access_of(state.context).fused(principal, actor, set_id, config_id)
        name = f"set-{set_id}-config-{config_id}.vidjil"
        return File(path=path, filename=name, media_type=MediaType.JSON)

    @get("/clones", operation_id="listFusedClones", sync_to_thread=True)
    def fused_clones(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        set_id: FromPath[int],
        config_id: FromQuery[int],
        sample: FromQuery[int] = 0,
        limit: FromQuery[int] = 50,
        offset: FromQuery[int] = 0,
        sort: FromQuery[str] = "-reads",
        locus: FromQuery[str | None] = None,
        productive: FromQuery[bool | None] = None,
        search: FromQuery[str | None] = None,
    ) -> ClonePage:
        """A page of the set's time-course clones (one read count per sample); `sort=-reads`
        sorts on the reads of sample number `sample` (0 = the first in the set's order)."""
        query = clone_query(limit, offset, sort, locus, productive, search, sample)
        actor = actor_of(request, principal)
        return access_of(state.context).fused_clones(principal, actor, set_id, config_id, query)

    @get("/result-files", operation_id="listSetResults", sync_to_thread=True)
    def result_files(
        self,
        state: State,
        principal: NamedDependency[Principal],
        set_id: FromPath[int],
        config_id: FromQuery[int | None] = None,
    ) -> list[dict[str, Any]]:
        """Every per-sample result of the set's samples, re-runs included, newest first."""
        return access_of(state.context).result_list(principal, set_id, config_id)

    @get("/analysis", operation_id="getAnalysis", sync_to_thread=True)
    def analysis(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        set_id: FromPath[int],
        version: FromQuery[int | None] = None,
    ) -> Response[dict[str, Any]]:
        """The latest `.analysis` (or `version`); its version is in the x-analysis-version header
        (absent before the first save)."""
        actor = actor_of(request, principal)
        content, saved = access_of(state.context).analysis(principal, actor, set_id, version)
        headers = {"x-analysis-version": str(saved.version)} if saved else {}
        return Response(content, headers=headers, media_type=MediaType.JSON)

    @post(
        "/analysis",
        operation_id="saveAnalysis",
        sync_to_thread=True,
        status_code=201,
        request_max_body_size=MAX_ANALYSIS_BYTES,
    )
    def save_analysis(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        set_id: FromPath[int],
        data: JSONBody[dict[str, Any]],
    ) -> AnalysisVersion:
        """Save the `.analysis` (tags, names, clusters, sample order) as a new version."""
        actor = actor_of(request, principal)
        return access_of(state.context).save_analysis(principal, actor, set_id, data)

    @get("/analysis/versions", operation_id="listAnalysisVersions", sync_to_thread=True)
    def versions(
        self, state: State, principal: NamedDependency[Principal], set_id: FromPath[int]
    ) -> list[AnalysisVersion]:
        return access_of(state.context).versions(principal, set_id)


class ResultsController(Controller):
    path = "/api/results"
    tags = ("results",)

    @get("/{result_id:int}", operation_id="getResult", sync_to_thread=True)
    def result(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        result_id: FromPath[int],
    ) -> ResultRecord:
        actor = actor_of(request, principal)
        return access_of(state.context).summary(principal, actor, result_id)

    @get("/{result_id:int}/clones", operation_id="listResultClones", sync_to_thread=True)
    def clones(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        result_id: FromPath[int],
        limit: FromQuery[int] = 50,
        offset: FromQuery[int] = 0,
        sort: FromQuery[str] = "-reads",
        locus: FromQuery[str | None] = None,
        productive: FromQuery[bool | None] = None,
        search: FromQuery[str | None] = None,
    ) -> ClonePage:
        """A page of the result's clones, filtered by locus, productivity and text (in the name,
        the CDR3/junction or the sequence); sort on reads, top, name, locus, junction_aa or id,
        prefixed with - for descending."""
        query = clone_query(limit, offset, sort, locus, productive, search)
        actor = actor_of(request, principal)
        return access_of(state.context).clones(principal, actor, result_id, query)

    @get("/{result_id:int}/vidjil", operation_id="downloadResultVidjil", sync_to_thread=True)
    def download_vidjil(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        result_id: FromPath[int],
    ) -> File:
        return self._download(request, state.context, principal, result_id, "vidjil")

    @get("/{result_id:int}/airr", operation_id="downloadResultAirr", sync_to_thread=True)
    def download_airr(
        self,
        request: Request[Any, Any, Any],
        state: State,
        principal: NamedDependency[Principal],
        result_id: FromPath[int],
    ) -> File:
        return self._download(request, state.context, principal, result_id, "airr")

    @staticmethod
    def _download(
        request: Request[Any, Any, Any],
        context: AppContext,
        principal: Principal,
        result_id: int,
        kind: str,
    ) -> File:
        actor = actor_of(request, principal)
        path = access_of(context).download(principal, actor, result_id, kind)
        media_type = MediaType.JSON if kind == "vidjil" else "text/tab-separated-values"
        return File(path=path, filename=path.name, media_type=media_type)
