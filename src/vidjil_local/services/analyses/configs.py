"""Analysis configs: named presets of program, germline set and options (Vidjil's `config`).

A config is offered to every user, or (Vidjil's per-group configs) only to the members of the
groups an administrator chose; administrators see and use every config. A config not offered to a
user is "not found" for them, as other groups' sets are. Only administrators create, edit or delete
configs. Options are checked here, once, so a job never starts with a value the pipeline would
refuse. A config that produced results cannot be deleted: its results would lose their meaning.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

from vidjil_local.core.kmers import SEED_SPAN
from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import Conflict, NotFound, UsageError
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import UNMERGED_CHOICES
from vidjil_local.pipeline.spike_config import spikes_from_json, spikes_to_json
from vidjil_local.services import audit
from vidjil_local.services.analyses import germlines
from vidjil_local.services.authz import Principal
from vidjil_local.settings import Settings

Program = Literal["vidjil-local", "import"]  # our pipeline, or results made elsewhere
PROGRAMS: tuple[Program, ...] = get_args(Program)
# option -> (type, smallest allowed value)
OPTION_TYPES: dict[str, tuple[type, float]] = {
    "window_length": (int, SEED_SPAN),
    "max_evalue": (float, 1e-300),
    "top": (int, 0),
    "min_reads": (int, 1),
    # paired-end samples: merging their mates (FLASH's names; `pipeline.MergeOptions`)
    "min_overlap": (int, 1),
    "max_overlap": (int, 0),
    "max_mismatch_density": (float, 0.0),
    "unexpected": (bool, 0),  # unexpected recombinations, system "xxx" (vidjil-algo's -2)
    "dna_cells": (int, 1),  # cells in the amplified DNA: the limit of detection, normalisation
}
# A whole-number option beyond this is no setting (JSON readers, the browser's among them, hold
# whole numbers exactly up to 2**53); a name is shown in menus.
LARGEST_WHOLE = 2**53
MAX_NAME_LENGTH = 200
SPIKES_OPTION = "spikes"  # spike-ins: a list of {name, sequence, copies[, family]} (`spike_config`)
# option -> the words it takes
OPTION_CHOICES: dict[str, tuple[str, ...]] = {"unmerged": UNMERGED_CHOICES}


@dataclass(frozen=True)
class Config:
    id: int
    name: str
    program: Program
    germline: str
    options: dict[str, Any]
    description: str
    classification: str
    created_at: str
    is_default: bool = False  # preselected for new analyses (listed first)
    everyone: bool = True  # offered to every user, else only to the members of `group_ids`
    group_ids: tuple[int, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any], group_ids: tuple[int, ...] = ()) -> Config:
        fields = {key: value for key, value in row.items() if key != "restricted"}
        return cls(
            **{
                **fields,
                "options": json.loads(row["options"]),
                "is_default": bool(row.get("is_default")),
            },
            everyone=not row["restricted"],
            group_ids=group_ids,
        )


@dataclass(frozen=True)
class ConfigFields:
    """What an administrator sets; None keeps the current value when editing."""

    name: str | None = None
    program: str | None = None
    germline: str | None = None
    options: dict[str, Any] | None = None
    description: str | None = None
    classification: str | None = None

    def values(self) -> dict[str, Any]:
        names = ("name", "program", "germline", "options", "description", "classification")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


def _groups_by_config(database: Database) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for config_id, group_id in database.db().execute(
        "SELECT config_id, group_id FROM config_groups ORDER BY config_id, group_id"
    ):
        found.setdefault(int(config_id), []).append(int(group_id))
    return {config_id: tuple(group_ids) for config_id, group_ids in found.items()}


def _offered(config: Config, principal: Principal | None) -> bool:
    if principal is None or principal.is_admin or config.everyone:
        return True
    return bool(principal.group_ids & set(config.group_ids))


def list_configs(database: Database, principal: Principal | None = None) -> list[Config]:
    """Every config, or those offered to `principal` (all of them for an administrator)."""
    groups = _groups_by_config(database)
    rows = database.db().query("SELECT * FROM configs ORDER BY is_default DESC, id")
    listed = [Config.from_row(row, groups.get(int(row["id"]), ())) for row in rows]
    return [config for config in listed if _offered(config, principal)]


def get(database: Database, config_id: int, principal: Principal | None = None) -> Config:
    """The config; not found when it does not exist or is not offered to `principal`."""
    config = database.remember(("config", config_id), lambda: _read(database, config_id))
    if config is None or not _offered(config, principal):
        raise NotFound(f"no analysis config {config_id}", config_id=config_id)
    return config


def _read(database: Database, config_id: int) -> Config | None:
    rows = list(database.db().query("SELECT * FROM configs WHERE id = ?", [config_id]))
    groups = _groups_by_config(database).get(config_id, ())
    return Config.from_row(rows[0], groups) if rows else None


def offer(
    database: Database,
    actor: audit.Actor,
    config_id: int,
    *,
    everyone: bool,
    group_ids: list[int],
) -> Config:
    """Offer the config to every user, or only to the members of these groups (administrators
    keep every config)."""
    get(database, config_id)
    chosen = [] if everyone else sorted(set(group_ids))
    with database.write() as db:
        marks = ",".join("?" * len(chosen))
        known = {
            row[0] for row in db.execute(f"SELECT id FROM groups WHERE id IN ({marks})", chosen)
        }
        missing = [group_id for group_id in chosen if group_id not in known]
        if missing:
            raise NotFound(f"no group {missing[0]}", group_id=missing[0])
        db.execute("UPDATE configs SET restricted = ? WHERE id = ?", [int(not everyone), config_id])
        db.execute("DELETE FROM config_groups WHERE config_id = ?", [config_id])
        db.table("config_groups").insert_all(
            {"config_id": config_id, "group_id": group_id} for group_id in chosen
        )
        audit.record(
            db, actor, "offer_config", "configs", config_id, everyone=everyone, group_ids=chosen
        )
    return get(database, config_id)


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options with their types checked; an unknown or out-of-range option is refused."""
    checked: dict[str, Any] = {}
    for name, value in options.items():
        if name == SPIKES_OPTION:  # our list, or Vidjil's label file as an admin imports it
            checked[name] = spikes_to_json(spikes_from_json(value))
            continue
        if name in OPTION_CHOICES:
            if value not in OPTION_CHOICES[name]:
                words = ", ".join(OPTION_CHOICES[name])
                raise UsageError(f"option {name!r} must be one of {words}", option=name)
            checked[name] = value
            continue
        if name not in OPTION_TYPES:
            known = ", ".join([*OPTION_TYPES, *OPTION_CHOICES, SPIKES_OPTION])
            raise UsageError(f"unknown option {name!r} (known: {known})", option=name)
        kind, smallest = OPTION_TYPES[name]
        if kind is bool:
            if not isinstance(value, bool):
                raise UsageError(f"option {name!r} must be true or false", option=name)
            checked[name] = value
            continue
        checked[name] = _number_option(name, value, kind, smallest)
    return checked


def _number_option(name: str, value: Any, kind: type, smallest: float) -> int | float:
    """A number option checked against its type and bounds."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"option {name!r} must be a number", option=name)
    if kind is int and value != int(value):
        raise UsageError(f"option {name!r} must be a whole number", option=name)
    if value < smallest:
        raise UsageError(f"option {name!r} must be at least {smallest:g}", option=name)
    if kind is int and value > LARGEST_WHOLE:
        raise UsageError(f"option {name!r} must be at most {LARGEST_WHOLE}", option=name)
    if name == "max_mismatch_density" and value >= 1:
        raise UsageError(f"option {name!r} must be under 1", option=name)
    return int(value) if kind is int else float(value)


def _check(settings: Settings, values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values and not values["name"].strip():
        raise UsageError("a config needs a name")
    if "name" in values and len(values["name"]) > MAX_NAME_LENGTH:
        raise UsageError(f"a config name may have at most {MAX_NAME_LENGTH} characters")
    if "name" in values and any(ord(c) < 32 or ord(c) == 127 for c in values["name"]):
        raise UsageError("a config name may not hold control characters (newline, NUL...)")
    if "program" in values and values["program"] not in PROGRAMS:
        raise UsageError(f"program must be one of {', '.join(PROGRAMS)}", program=values["program"])
    if "germline" in values:
        # a bundled or imported set only (never a path on disk), whose loci exist
        load_germline(germlines.resolve_spec(settings, values["germline"]))
    if "options" in values:
        values["options"] = check_options(values["options"])
    return values


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.dumps(value) if key == "options" else value.strip() if key == "name" else value
        for key, value in values.items()
    }


def _unique_name(database: Database, name: str, config_id: int | None = None) -> None:
    row = database.db().execute(
        "SELECT id FROM configs WHERE name = ? AND id IS NOT ?", [name.strip(), config_id]
    )
    if row.fetchone() is not None:
        raise Conflict(f"a config named {name.strip()!r} exists already", name=name)


def create(
    database: Database, settings: Settings, actor: audit.Actor, fields: ConfigFields
) -> Config:
    # a config naming no germline set takes the default_germline setting's, checked as given
    values = _check(settings, {"germline": settings.default_germline, **fields.values()})
    if "name" not in values or "program" not in values:
        raise UsageError("a new config needs a name and a program")
    _unique_name(database, values["name"])
    defaults = {"options": {}, "description": "", "classification": ""}
    row = _row({**defaults, **values}) | {"created_at": now()}
    with database.write() as db:
        config_id = int(db.table("configs").insert(row).last_pk or 0)
        audit.record(db, actor, "create_config", "configs", config_id, name=row["name"])
    return get(database, config_id)


def update(
    database: Database, settings: Settings, actor: audit.Actor, config_id: int, fields: ConfigFields
) -> Config:
    get(database, config_id)
    values = _check(settings, fields.values())
    if "name" in values:
        _unique_name(database, values["name"], config_id)
    if values:
        with database.write() as db:
            db.table("configs").update(config_id, _row(values))
            audit.record(db, actor, "edit_config", "configs", config_id, changed=sorted(values))
    return get(database, config_id)


def delete(database: Database, actor: audit.Actor, config_id: int) -> None:
    config = get(database, config_id)
    with database.write() as db:
        used = db.execute(
            "SELECT (SELECT count(*) FROM results WHERE config_id = ?) + "
            "(SELECT count(*) FROM jobs WHERE config_id = ? AND status IN ('queued', 'running'))",
            [config_id, config_id],
        ).fetchone()[0]
        if used:
            raise Conflict(
                f"config {config.name!r} has results or running jobs; it cannot be deleted",
                config_id=config_id,
            )
        db.execute("DELETE FROM fused_results WHERE config_id = ?", [config_id])
        db.execute("DELETE FROM configs WHERE id = ?", [config_id])
        audit.record(db, actor, "delete_config", "configs", config_id, name=config.name)
