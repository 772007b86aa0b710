"""The export folder of a classic Vidjil server, as its migrator writes it (`migrator.sh export
group GID` or `export sample_set TYPE ID...`): `export.json` (its tables `patient`, `run`,
`generic`, `sequence_file`, `membership`, `results_file`, `analysis_file`, `fused_file`..., each
a map of old id to row), `config.json` (its configs) and `files/` (the result and `.analysis`
files under their stored names). Untrusted: rows are checked with pydantic models of the fields
read, file names must be plain names inside `files/`.

Each sequence file's latest-per-config `.vidjil` results become our results (read as an import
would read them; files our reader refuses are listed, not imported), each `.analysis` a version
of its set's analysis; the fused files are not copied: our fuse makes them again from the
imported results. Sequence files are not in such an export (as in Vidjil): samples wait for
them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import BaseModel, ConfigDict, ValidationError

from vidjil_local.errors import InputFormatError, NotFound, UsageError, VidjilError
from vidjil_local.results.analysis_file import check_analysis
from vidjil_local.services.exchange.archive import ArchiveRefused

MAX_EXPORT_JSON = 512 << 20
SET_KINDS = ("patient", "run", "generic")


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")  # Vidjil's rows hold more than we read


class SetRow(Row):
    sample_set_id: int
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth: str | None = None
    id_label: str | None = None
    run_date: str | None = None
    sequencer: str | None = None
    pcr: str | None = None
    info: str | None = None


class SequenceFileRow(Row):
    filename: str | None = None
    sampling_date: str | None = None
    info: str | None = None
    pcr: str | None = None
    sequencer: str | None = None
    producer: str | None = None
    size_file: int | None = None
    network: bool | None = None


class MembershipRow(Row):
    sample_set_id: int | None
    sequence_file_id: int


class ResultsFileRow(Row):
    sequence_file_id: int
    config_id: int | None = None
    run_date: str | None = None
    data_file: str | None = None


class AnalysisFileRow(Row):
    sample_set_id: int | None = None
    analyze_date: str | None = None
    analysis_file: str | None = None


class Tables(BaseModel):
    model_config = ConfigDict(extra="ignore")

    patient: dict[int, SetRow] = {}
    run: dict[int, SetRow] = {}
    generic: dict[int, SetRow] = {}
    sequence_file: dict[int, SequenceFileRow] = {}
    membership: dict[int, MembershipRow] = {}
    results_file: dict[int, ResultsFileRow] = {}
    analysis_file: dict[int, AnalysisFileRow] = {}


@dataclass(frozen=True)
class VidjilExport:
    folder: Path
    tables: Tables
    config_names: dict[int, str]  # Vidjil config id -> its name, from config.json

    def file(self, name: str | None) -> Path | None:
        """A file of `files/` named by a row; None when the row names none or it is missing."""
        if not name:
            return None
        if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
            raise ArchiveRefused(f"a row names the file {name!r} outside files/", str(self.folder))
        path = self.folder / "files" / name
        return path if path.is_file() else None


@dataclass
class VidjilPlan:
    export: VidjilExport
    group_id: int
    group_name: str
    configs: dict[int, int]  # Vidjil config id -> ours
    unmapped: dict[int, str]
    skipped: list[str] = field(default_factory=list)  # what the files do not allow


def load_export(folder: Path) -> VidjilExport:
    path = folder / "export.json"
    if not path.is_file():
        raise InputFormatError("no export.json: not a Vidjil migrator export folder", str(folder))
    if path.stat().st_size > MAX_EXPORT_JSON:
        raise InputFormatError(f"larger than {MAX_EXPORT_JSON} bytes", str(path))
    try:
        tables = Tables.model_validate(json.loads(path.read_bytes()))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputFormatError(f"not JSON ({error})", str(path)) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in error.errors()[:5]
        )
        raise InputFormatError(f"not a Vidjil export ({problems})", str(path)) from None
    return VidjilExport(folder, tables, _config_names(folder / "config.json"))


def _config_names(path: Path) -> dict[int, str]:
    """config.json: {"2": {"description": {...row...} or [name, program, ...], "link_local":
    2}}; its link_local ids are another Vidjil server's, so only the names are read."""
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputFormatError(f"not JSON ({error})", str(path)) from None
    names: dict[int, str] = {}
    for key, entry in raw.items() if isinstance(raw, dict) else []:
        description = entry.get("description") if isinstance(entry, dict) else None
        if isinstance(description, dict) and isinstance(description.get("name"), str):
            names[int(key)] = description["name"]
        elif isinstance(description, list) and description and isinstance(description[0], str):
            names[int(key)] = description[0]
    return names


def plan_vidjil_import(
    db: sqlite_utils.Database, folder: Path, *, group: str, config_map: Mapping[str, str]
) -> VidjilPlan:
    export = load_export(folder)
    found = db.execute(
        "SELECT id, name FROM groups WHERE name = ? OR CAST(id AS TEXT) = ?", [group, group]
    ).fetchone()
    if found is None:
        raise NotFound(f"no group {group!r} here: create it first, it will own the imported sets")
    used = sorted({r.config_id for r in export.tables.results_file.values() if r.config_id})
    configs: dict[int, int] = {}
    unmapped: dict[int, str] = {}
    for old in used:
        name = export.config_names.get(old, "")
        wanted = config_map.get(str(old)) or (config_map.get(name) if name else None) or name
        row = db.execute(
            "SELECT id FROM configs WHERE CAST(id AS TEXT) = ? OR name = ?", [wanted, wanted]
        ).fetchone() if wanted else None  # fmt: skip
        if row is None:
            unmapped[old] = name
        else:
            configs[old] = int(row[0])
    return VidjilPlan(export, int(found[0]), str(found[1]), configs, unmapped)


def refuse_unmapped(plan: VidjilPlan) -> None:
    if plan.unmapped:
        listed = "; ".join(f"config {old} {name!r}" for old, name in plan.unmapped.items())
        raise UsageError(
            "map each Vidjil config of the export to one of this install (--config OLD=NEW): "
            + listed,
            unmapped=sorted(plan.unmapped),
        )


def results_to_import(plan: VidjilPlan) -> list[tuple[int, ResultsFileRow, Path]]:
    """Every results_file row with a readable file, in id order; the others in plan.skipped."""
    chosen = []
    for old_id, row in sorted(plan.export.tables.results_file.items()):
        path = plan.export.file(row.data_file)
        if row.config_id is None or path is None:
            plan.skipped.append(f"result {old_id}: no file in files/")
            continue
        chosen.append((old_id, row, path))
    return chosen


def read_analysis(plan: VidjilPlan, old_id: int, row: AnalysisFileRow) -> dict[str, Any] | None:
    path = plan.export.file(row.analysis_file)
    if path is None:
        plan.skipped.append(f"analysis {old_id}: no file in files/")
        return None
    try:
        content = json.loads(path.read_bytes())
        if not isinstance(content, dict):
            raise UsageError("not a JSON object")
        return check_analysis(content)
    except (UnicodeDecodeError, json.JSONDecodeError, VidjilError) as error:
        plan.skipped.append(f"analysis {old_id} ({path.name}): {error}")
        return None
