"""Results: fused time-course of a set, clone lists, `.vidjil`/AIRR downloads, `.analysis` files.

Reading a result needs the `read` right on a set holding its sample; saving an `.analysis` needs
`save`. Reads of patient results are recorded in the audit log by the service.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, JSONBody
from litestar.response import File

from vidjil_local.api.context import AppContext
from vidjil_local.api.opened_files import file_answer, open_stored
from vidjil_local.api.params import (
    BaseVersion,
    Limit,
    Offset,
    OptionalQueryId,
    PathId,
    QueryId,
    SampleIndex,
)
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.access import AnalysisVersion, ResultAccess, ResultRecord
from vidjil_local.services.results.clone_lists import ClonePage, CloneQuery

MAX_PAGE = 1000
MAX_ANALYSIS_BYTES = 50 * 1024**2
T = TypeVar("T")


def json_body(body: bytes, model: type[T], headers: dict[str, str] | None = None) -> Response[T]:
    """An answer of JSON already encoded by the service; `model` is what it holds (the OpenAPI
    schema and the generated client are made from the handler's annotation)."""
    return Response(cast(T, body), media_type=MediaType.JSON, headers=headers)


def access_of(context: NamedDependency[AppContext]) -> ResultAccess:
    return ResultAccess(context.database, context.settings.results_dir)


# The async handlers call `access_of(context)` themselves: with `access` and `principal` both
# given as dependencies of the same level, Litestar resolves them in an anyio task group (7% of a
# clone list's time).
RESULT_ACCESS = {"access": Provide(access_of, sync_to_thread=False)}


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
    dependencies = RESULT_ACCESS

    @get("/results", operation_id="getFusedResult")
    async def fused(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        config_id: QueryId,
    ) -> File:
        """The set's multi-sample `.vidjil` for this config (latest result of each sample); its
        ETag changes with each new fuse (If-None-Match: 304)."""
        stored = await access_of(context).fused(principal, actor, set_id, config_id)
        name = f"set-{set_id}-config-{config_id}.vidjil"
        headers = {"etag": stored.etag, "cache-control": "private, no-cache"}
        if request.headers.get("if-none-match") == stored.etag:
            if not isinstance(stored.content, bytes):
                stored.content.close()
            return cast(File, Response(b"", status_code=304, headers=headers))
        if not isinstance(stored.content, bytes):  # too large to keep: sent from the open file
            return file_answer(stored.content, name, MediaType.JSON, headers)
        disposition = f'attachment; filename="{name}"'
        return cast(
            File,
            Response(
                stored.content,
                media_type=MediaType.JSON,
                headers={**headers, "content-disposition": disposition},
            ),
        )

    @get("/clones", operation_id="listFusedClones")
    async def fused_clones(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        config_id: QueryId,
        sample: SampleIndex = 0,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: FromQuery[str] = "-reads",
        locus: FromQuery[str | None] = None,
        productive: FromQuery[bool | None] = None,
        search: FromQuery[str | None] = None,
    ) -> Response[ClonePage]:
        """A page of the set's time-course clones (one read count per sample); `sort=-reads`
        sorts on the reads of sample number `sample` (0 = the first in the set's order)."""
        query = clone_query(limit, offset, sort, locus, productive, search, sample)
        page = await access_of(context).fused_clones_json(
            principal, actor, set_id, config_id, query
        )
        return json_body(page, ClonePage)

    @get("/result-files", operation_id="listSetResults", sync_to_thread=True)
    def result_files(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        set_id: PathId,
        config_id: OptionalQueryId = None,
    ) -> list[dict[str, Any]]:
        """Every per-sample result of the set's samples, re-runs included, newest first."""
        return access.result_list(principal, set_id, config_id)

    @get("/analysis", operation_id="getAnalysis")
    async def analysis(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        version: OptionalQueryId = None,
    ) -> Response[dict[str, Any]]:
        """The latest `.analysis` (or `version`); its version is in the x-analysis-version header
        (absent before the first save)."""
        content, saved = await access_of(context).analysis(principal, actor, set_id, version)
        headers = {"x-analysis-version": str(saved.version)} if saved else {}
        return json_body(content, dict[str, Any], headers)

    @post(
        "/analysis",
        operation_id="saveAnalysis",
        sync_to_thread=True,
        status_code=201,
        request_max_body_size=MAX_ANALYSIS_BYTES,
    )
    def save_analysis(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[dict[str, Any]],
        base_version: BaseVersion = None,
    ) -> AnalysisVersion:
        """Save the `.analysis` (tags, names, clusters, sample order) as a new version. With
        `base_version`, the version the edits started from (its x-analysis-version, 0 when none
        was saved), a save over a newer version is refused (409, `current_version`)."""
        return access.save_analysis(principal, actor, set_id, data, base_version)

    @get("/analysis/versions", operation_id="listAnalysisVersions", sync_to_thread=True)
    def versions(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        set_id: PathId,
    ) -> list[AnalysisVersion]:
        return access.versions(principal, set_id)


class ResultsController(Controller):
    path = "/api/results"
    tags = ("results",)
    dependencies = RESULT_ACCESS

    @get("/{result_id:int}", operation_id="getResult")
    async def result(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        result_id: PathId,
    ) -> ResultRecord:
        return await access_of(context).summary(principal, actor, result_id)

    @get("/{result_id:int}/clones", operation_id="listResultClones")
    async def clones(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        result_id: PathId,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: FromQuery[str] = "-reads",
        locus: FromQuery[str | None] = None,
        productive: FromQuery[bool | None] = None,
        search: FromQuery[str | None] = None,
    ) -> Response[ClonePage]:
        """A page of the result's clones, filtered by locus, productivity and text (in the name,
        the CDR3/junction or the sequence); sort on reads, top, name, locus, junction_aa or id,
        prefixed with - for descending."""
        query = clone_query(limit, offset, sort, locus, productive, search)
        page = await access_of(context).clones_json(principal, actor, result_id, query)
        return json_body(page, ClonePage)

    @get("/{result_id:int}/vidjil", operation_id="downloadResultVidjil", sync_to_thread=True)
    def download_vidjil(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        result_id: PathId,
    ) -> File:
        path = access.download(principal, actor, result_id, "vidjil")
        opened = open_stored(path, f"result {result_id}'s file")
        return file_answer(opened, path.name, MediaType.JSON)

    @get("/{result_id:int}/airr", operation_id="downloadResultAirr", sync_to_thread=True)
    def download_airr(
        self,
        access: NamedDependency[ResultAccess],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        result_id: PathId,
    ) -> File:
        path = access.download(principal, actor, result_id, "airr")
        opened = open_stored(path, f"result {result_id}'s file")
        return file_answer(opened, path.name, "text/tab-separated-values")
