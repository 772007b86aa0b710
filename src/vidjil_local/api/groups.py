"""Groups, their rights and members: `/api/groups`, for administrators."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.guards import actor_of
from vidjil_local.services.accounts import groups
from vidjil_local.services.accounts.groups import GroupDetail, GroupSummary
from vidjil_local.services.authz import Principal


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    description: str = ""
    rights: list[str] = msgspec.field(default_factory=list)
    parent_id: int | None = None


class GroupUpdate(msgspec.Struct, forbid_unknown_fields=True):
    description: str | None = None
    rights: list[str] | None = None


class GroupController(Controller):
    path = "/api/groups"
    tags = ("admin",)

    @get("/", operation_id="listGroups", sync_to_thread=True)
    def list_groups(self, state: State, admin: NamedDependency[Principal]) -> list[GroupSummary]:
        """Every group with its parent, rights (and Vidjil's letters), members and sets."""
        context: AppContext = state.context
        return groups.list_groups(context.database)

    @get("/{group_id:int}", operation_id="getGroup", sync_to_thread=True)
    def get_group(
        self, state: State, admin: NamedDependency[Principal], group_id: FromPath[int]
    ) -> GroupDetail:
        context: AppContext = state.context
        return groups.get_group(context.database, group_id)

    @post("/", operation_id="createGroup", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        data: JSONBody[GroupCreate],
    ) -> GroupDetail:
        """A child group (`parent_id`) sees its parent's sets; rights are not inherited."""
        context: AppContext = state.context
        return groups.create(
            context.database,
            actor_of(request, admin),
            data.name,
            data.description,
            data.rights,
            data.parent_id,
        )

    @patch("/{group_id:int}", operation_id="updateGroup", sync_to_thread=True)
    def update(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        group_id: FromPath[int],
        data: JSONBody[GroupUpdate],
    ) -> GroupDetail:
        """Change the description and/or the rights (the whole list of rights is replaced)."""
        context: AppContext = state.context
        return groups.update(
            context.database, actor_of(request, admin), group_id, data.description, data.rights
        )

    @delete("/{group_id:int}", operation_id="deleteGroup", sync_to_thread=True, status_code=204)
    def delete_group(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        group_id: FromPath[int],
    ) -> None:
        """Refused for the admin group, a user's personal group, and the only owner of sets."""
        context: AppContext = state.context
        groups.delete(context.database, actor_of(request, admin), group_id)

    @put("/{group_id:int}/members/{user_id:int}", operation_id="addGroupMember",
         sync_to_thread=True)  # fmt: skip
    def add_member(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        group_id: FromPath[int],
        user_id: FromPath[int],
    ) -> GroupDetail:
        context: AppContext = state.context
        return groups.add_member(context.database, actor_of(request, admin), group_id, user_id)

    @delete("/{group_id:int}/members/{user_id:int}", operation_id="removeGroupMember",
            sync_to_thread=True, status_code=204)  # fmt: skip
    def remove_member(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        group_id: FromPath[int],
        user_id: FromPath[int],
    ) -> None:
        """Refused when it would leave no administrator who can log in."""
        context: AppContext = state.context
        groups.remove_member(context.database, actor_of(request, admin), group_id, user_id)
