"""Groups, their rights and members: `/api/groups`, for administrators."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, PathId
from vidjil_local.services import audit
from vidjil_local.services.accounts import groups
from vidjil_local.services.accounts.groups import GroupDetail, GroupSummary
from vidjil_local.services.authz import Principal


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    description: str = ""
    rights: list[str] = msgspec.field(default_factory=list)
    parent_id: Id | None = None


class GroupUpdate(msgspec.Struct, forbid_unknown_fields=True):
    description: str | None = None
    rights: list[str] | None = None


class GroupController(Controller):
    path = "/api/groups"
    tags = ("admin",)

    @get("/", operation_id="listGroups", sync_to_thread=True)
    def list_groups(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> list[GroupSummary]:
        """Every group with its parent, rights (and Vidjil's letters), members and sets."""
        return groups.list_groups(context.database)

    @get("/{group_id:int}", operation_id="getGroup", sync_to_thread=True)
    def get_group(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        group_id: PathId,
    ) -> GroupDetail:
        return groups.get_group(context.database, group_id)

    @post("/", operation_id="createGroup", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[GroupCreate],
    ) -> GroupDetail:
        """A child group (`parent_id`) sees its parent's sets; rights are not inherited."""
        return groups.create(
            context.database,
            actor,
            name=data.name,
            description=data.description,
            rights=data.rights,
            parent_id=data.parent_id,
        )

    @patch("/{group_id:int}", operation_id="updateGroup", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        group_id: PathId,
        data: JSONBody[GroupUpdate],
    ) -> GroupDetail:
        """Change the description and/or the rights (the whole list of rights is replaced)."""
        return groups.update(context.database, actor, group_id, data.description, data.rights)

    @delete("/{group_id:int}", operation_id="deleteGroup", sync_to_thread=True, status_code=204)
    def delete_group(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        group_id: PathId,
    ) -> None:
        """Refused for the admin group, a user's personal group, and the only owner of sets."""
        groups.delete(context.database, actor, group_id)

    @put("/{group_id:int}/members/{user_id:int}", operation_id="addGroupMember",
         sync_to_thread=True)  # fmt: skip
    def add_member(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        group_id: PathId,
        user_id: PathId,
    ) -> GroupDetail:
        return groups.add_member(context.database, actor, group_id, user_id)

    @delete("/{group_id:int}/members/{user_id:int}", operation_id="removeGroupMember",
            sync_to_thread=True, status_code=204)  # fmt: skip
    def remove_member(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        group_id: PathId,
        user_id: PathId,
    ) -> None:
        """Refused when it would leave no administrator who can log in."""
        groups.remove_member(context.database, actor, group_id, user_id)
