"""Analysis configs: `/api/configs` (each user lists those offered to their groups; administrators
see all and change them, and choose the groups a config is offered to)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, PathId
from vidjil_local.services import audit
from vidjil_local.services.analyses import configs
from vidjil_local.services.authz import Principal


class Config(msgspec.Struct):
    id: int
    name: str
    program: str  # "vidjil-local" or "import"
    germline: str  # e.g. "human" or "human:IGH"
    options: dict[str, Any]  # window_length, max_evalue, top, min_reads
    description: str
    classification: str
    created_at: str
    everyone: bool  # offered to every user; else only to the members of `group_ids`
    group_ids: list[int]


class ConfigOffer(msgspec.Struct, forbid_unknown_fields=True):
    """Who may use a config: every user, or only the members of these groups."""

    everyone: bool
    group_ids: list[Id] = msgspec.field(default_factory=list)


class ConfigCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    program: str = "vidjil-local"
    germline: str | None = None  # None: the default_germline setting
    options: dict[str, Any] = {}
    description: str = ""
    classification: str = ""


class ConfigUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent ones stay as they are."""

    name: str | None = None
    program: str | None = None
    germline: str | None = None
    options: dict[str, Any] | None = None
    description: str | None = None
    classification: str | None = None


def _config(config: configs.Config) -> Config:
    return msgspec.convert(config, Config, from_attributes=True)


def _fields(data: ConfigCreate | ConfigUpdate) -> configs.ConfigFields:
    return configs.ConfigFields(**{name: getattr(data, name) for name in data.__struct_fields__})


class ConfigController(Controller):
    path = "/api/configs"
    tags = ("analysis configs",)

    @get("/", operation_id="listConfigs", sync_to_thread=True)
    def list_configs(
        self, context: NamedDependency[AppContext], principal: NamedDependency[Principal]
    ) -> list[Config]:
        """The configs offered to your groups (every config for an administrator)."""
        return [_config(config) for config in configs.list_configs(context.database, principal)]

    @get("/{config_id:int}", operation_id="getConfig", sync_to_thread=False)  # reads only
    def get_config(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        config_id: PathId,
    ) -> Config:
        return _config(configs.get(context.database, config_id, principal))

    @post("/", operation_id="createConfig", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[ConfigCreate],
    ) -> Config:
        return _config(configs.create(context.database, context.settings, actor, _fields(data)))

    @patch("/{config_id:int}", operation_id="updateConfig", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        config_id: PathId,
        data: JSONBody[ConfigUpdate],
    ) -> Config:
        updated = configs.update(
            context.database, context.settings, actor, config_id, _fields(data)
        )
        return _config(updated)

    @delete("/{config_id:int}", operation_id="deleteConfig", sync_to_thread=True, status_code=204)
    def delete_config(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        config_id: PathId,
    ) -> None:
        configs.delete(context.database, actor, config_id)

    @put("/{config_id:int}/groups", operation_id="offerConfig", sync_to_thread=True)
    def offer(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        config_id: PathId,
        data: JSONBody[ConfigOffer],
    ) -> Config:
        """Offer the config to every user, or only to the members of `group_ids` (Vidjil's
        per-group configs); administrators keep every config."""
        offered = configs.offer(
            context.database, actor, config_id, everyone=data.everyone, group_ids=data.group_ids
        )
        return _config(offered)
