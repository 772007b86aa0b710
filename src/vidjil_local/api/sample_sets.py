"""Patients, runs and sets: `/api/sample-sets`."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from anyio import to_thread
from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, Offset, PathId
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.samples import sample_sets, sharing

SetPageLimit = Annotated[int, QueryParameter(ge=1, le=sample_sets.MAX_PAGE)]


class SampleSetUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The fields of a set; those of another kind are refused (a run has no birth date)."""

    name: str | None = None
    id_label: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth: str | None = None
    run_date: str | None = None
    sequencer: str | None = None
    pcr: str | None = None
    info: str | None = None


class SampleSetCreate(SampleSetUpdate, forbid_unknown_fields=True, kw_only=True):
    kind: str
    group_id: Id | None = None


class SampleSetBatch(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    rows: str  # tab-separated lines pasted from a spreadsheet
    group_id: Id | None = None


class SampleSetGroups(msgspec.Struct, forbid_unknown_fields=True):
    group_ids: list[Id]


class SampleSetPage(msgspec.Struct):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _given(data: msgspec.Struct, *skip: str) -> dict[str, Any]:
    return {
        name: getattr(data, name)
        for name in data.__struct_fields__
        if name not in skip and getattr(data, name) is not None
    }


class SampleSetController(Controller):
    path = "/api/sample-sets"
    tags = ("sample sets",)

    @get("/", operation_id="listSampleSets", sync_to_thread=True)
    def list_sets(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        kind: FromQuery[str | None] = None,
        search: FromQuery[str] = "",
        sort: FromQuery[str] = "-id",
        limit: SetPageLimit = 50,
        offset: Offset = 0,
    ) -> SampleSetPage:
        """Sets you may read; `search` words must all match, `-word` excludes, `#tag` filters."""
        page = sample_sets.list_sets(
            context.database, principal, kind=kind, search=search, sort=sort, limit=limit,
            offset=offset,
        )  # fmt: skip
        return SampleSetPage(page.items, page.total, limit, offset)

    @post("/", operation_id="createSampleSet", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[SampleSetCreate],
    ) -> dict[str, Any]:
        values = _given(data, "kind", "group_id")
        return sample_sets.create_one(
            context.database,
            actor,
            principal,
            kind=data.kind,
            values=values,
            group_id=data.group_id,
        )

    @post("/batch", operation_id="createSampleSetsBatch", sync_to_thread=True, status_code=201)
    def create_batch(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[SampleSetBatch],
    ) -> dict[str, list[int]]:
        """Create many sets from pasted rows: all of them, or none with the faulty rows listed."""
        created = sample_sets.create_batch(
            context.database,
            actor,
            principal,
            kind=data.kind,
            text=data.rows,
            group_id=data.group_id,
        )
        return {"ids": created}

    @get("/{set_id:int}", operation_id="getSampleSet")
    async def get_set(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
    ) -> dict[str, Any]:
        # memoised reads in the event loop; the audit write, when due, in a worker thread
        shown = sample_sets.get(context.database, principal, set_id)
        write = (
            audit.view_to_record(
                context.database, actor, "view", table_name="sample_sets", record_id=set_id
            )
            if shown["kind"] == "patient"
            else None
        )
        if write is not None:
            await to_thread.run_sync(write)
        return shown

    @patch("/{set_id:int}", operation_id="updateSampleSet", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[SampleSetUpdate],
    ) -> dict[str, Any]:
        return sample_sets.update(context.database, actor, principal, set_id, _given(data))

    @delete("/{set_id:int}", operation_id="deleteSampleSet", sync_to_thread=True, status_code=204)
    def delete_set(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
    ) -> None:
        sample_sets.delete(context.database, context.settings, actor, principal, set_id)

    @get("/{set_id:int}/groups", operation_id="listSampleSetGroupChoices", sync_to_thread=True)
    def group_choices(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        set_id: PathId,
    ) -> list[sharing.SharingChoice]:
        """The groups the user may give the set to or take it from (`admin` right on the set):
        every group for an administrator, otherwise the user's own groups that the server would
        accept. Owners the user may not change are not listed: send them back unchanged."""
        return sharing.sharing_choices(context.database, principal, set_id)

    @put("/{set_id:int}/groups", operation_id="setSampleSetGroups", sync_to_thread=True)
    def set_groups(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[SampleSetGroups],
    ) -> dict[str, list[int]]:
        """The groups that own the set (who may see and work on it). Non-administrators give
        it to or take it from their own groups only, and gain no right by it."""
        groups = sharing.set_access_groups(
            context.database, actor, principal, set_id, data.group_ids
        )
        return {"group_ids": groups}
