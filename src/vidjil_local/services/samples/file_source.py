"""The network file source (Vidjil's FILE_SOURCE): a folder whose reads files users pick instead
of uploading them. Picked files are linked (the sample records their resolved path), not copied.
Result files made elsewhere (`.vidjil`, AIRR, MiXCR) are taken as uploads take them: one of a
single sample is linked too; a `.vidjil` of several samples becomes one sample per sample, each
with its one-sample `.vidjil` in the sequences folder (`vidjil_samples.py`, shared with uploads).

Every path a user gives is resolved (following symlinks) and must stay inside `file_source`;
`..`, absolute paths and symlinks leading out are refused alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidjil_local.db import Database
from vidjil_local.db.samples import SampleStatus
from vidjil_local.errors import InputFormatError, NotFound, PermissionDenied, UsageError
from vidjil_local.reads import check_pair, check_reads_file
from vidjil_local.results import sniff_result
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal
from vidjil_local.services.samples import samples, vidjil_samples
from vidjil_local.services.samples.file_checks import renamed
from vidjil_local.services.samples.part_writer import HASH_BLOCK
from vidjil_local.services.samples.uploads import CHECK_RECORDS
from vidjil_local.settings import Settings


@dataclass(frozen=True)
class SourceEntry:
    name: str
    path: str  # relative to the source folder, with "/"
    is_folder: bool
    size: int | None


@dataclass(frozen=True)
class SourceListing:
    path: str
    entries: list[SourceEntry]


def source_root(settings: Settings) -> Path:
    if settings.file_source is None:
        raise NotFound("no file source is configured (the file_source setting is empty)")
    root = settings.file_source.resolve()
    if not root.is_dir():
        raise NotFound("the file source folder is not reachable", file_source=str(root))
    return root


def resolve(settings: Settings, relative: str) -> Path:
    """The real path of `relative` inside the source; PermissionDenied when it leads out."""
    if "\x00" in relative:
        raise UsageError("a path may not hold a NUL character")
    root = source_root(settings)
    candidate = (root / relative).resolve()
    if Path(relative).is_absolute() or not candidate.is_relative_to(root):
        raise PermissionDenied(f"{relative!r} is outside the file source", path=relative)
    if not candidate.exists():
        raise NotFound(f"no {relative!r} in the file source", path=relative)
    return candidate


def is_pickable(settings: Settings, path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith("." + ending.lower().lstrip(".")) for ending in settings.file_types)


def listing(settings: Settings, principal: Principal, relative: str = "") -> SourceListing:
    """Folders and pickable files of one folder of the source, folders first, by name (for
    users who may upload somewhere)."""
    if not principal.has_right_somewhere("upload"):
        raise PermissionDenied("browsing the file source needs the upload right")
    folder = resolve(settings, relative)
    if not folder.is_dir():
        raise UsageError(f"{relative!r} is not a folder")
    root = source_root(settings)
    entries = [_entry(root, child) for child in sorted(folder.iterdir(), key=lambda p: p.name)]
    kept = [
        entry
        for entry in entries
        if entry is not None and (entry.is_folder or is_pickable(settings, Path(entry.name)))
    ]
    kept.sort(key=lambda entry: (not entry.is_folder, entry.name.lower()))
    shown = "" if folder == root else folder.relative_to(root).as_posix()
    return SourceListing(shown, kept)


def _entry(root: Path, child: Path) -> SourceEntry | None:
    """The entry for `child`, or None when hidden or leading out of the source."""
    if child.name.startswith("."):
        return None
    real = child.resolve()
    if not real.is_relative_to(root) or not real.exists():
        return None
    relative = child.relative_to(root).as_posix()
    if real.is_dir():
        return SourceEntry(child.name, relative, True, None)
    if not real.is_file():
        return None
    return SourceEntry(child.name, relative, False, real.stat().st_size)


def pick(settings: Settings, relative: str) -> Path:
    path = resolve(settings, relative)
    if not path.is_file() or not is_pickable(settings, path):
        raise UsageError(
            f"{relative!r} is not a reads file of the file source "
            f"(names ending with {', '.join(settings.file_types)})"
        )
    return path


def link(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    principal: Principal,
    set_id: int,
    *,
    paths: list[str],
    paired: bool,
    fields: dict[str, Any],
    names: list[str] | None = None,
) -> list[samples.Sample]:
    """New samples linked to picked files: one per file, or one per R1/R2 pair (`paths` taken
    two by two, R1 then R2); a `.vidjil` of several samples makes one sample each. `names`, when
    given, names each pair (its common name; the R1 keeps its own name in `original_name1`); else
    a sample is named by its (R1) file. Every file is checked before anything is made."""
    authz.require(database, principal, "upload", set_id)
    groups = _groups(paths, paired)
    sample_names = _sample_names(names, len(groups), paired)
    picked = [_picked(settings, group) for group in groups]
    splits = [_check(group, relatives[0]) for group, relatives in zip(picked, groups, strict=True)]
    stored = [
        None if split is not None else _stored(group, name)
        for group, split, name in zip(picked, splits, sample_names, strict=True)
    ]
    made: list[list[int]] = []  # hashed above: nothing read while holding the write lock
    with vidjil_samples.pending_files() as written, database.write() as db:
        for relatives, row, split in zip(groups, stored, splits, strict=True):
            if row is not None:
                given, values = row
                ids = [samples.insert(db, actor, set_id, {**fields, **given}, **values)]
            else:
                assert split is not None  # a picked file is either linked or split
                ids = vidjil_samples.record_split(
                    db, settings, actor, split,
                    set_ids=[set_id], fields=fields, first=None, written=written,
                    action="source_split",
                )  # fmt: skip
            for sample_id in ids:
                audit.record(db, actor, "link_source_file", "samples", sample_id, paths=relatives)
            made.append(ids)
    for ids, split in zip(made, splits, strict=True):
        if split is not None:
            vidjil_samples.move_into_place(settings.sequences_dir, ids)
    return [samples.load(database, principal, sample_id) for ids in made for sample_id in ids]


def _groups(paths: list[str], paired: bool) -> list[list[str]]:
    if not paths:
        raise UsageError("pick at least one file")
    if not paired:
        return [[path] for path in paths]
    if len(paths) % 2:
        raise UsageError(
            f"paired samples take their files two by two, R1 then R2: {len(paths)} files given"
        )
    return [paths[index : index + 2] for index in range(0, len(paths), 2)]


def _picked(settings: Settings, group: list[str]) -> list[Path]:
    """The real paths of a file or pair; R1 and R2 must be two files."""
    picked = [pick(settings, relative) for relative in group]
    if len(picked) == 2 and picked[0] == picked[1]:
        raise UsageError(f"{group[0]!r} is given as both R1 and R2 of a sample", path=group[0])
    return picked


def _sample_names(names: list[str] | None, count: int, paired: bool) -> list[str | None]:
    if names is None:
        return [None] * count
    if not paired:
        raise UsageError("names are for paired samples: a single file's sample is named by it")
    if len(names) != count:
        raise UsageError(f"{len(names)} names given for {count} samples: one per sample")
    return [samples.clean_name(name) for name in names]


def _check(group: list[Path], relative: str) -> vidjil_samples.Split | None:
    """Check a picked file or pair as an upload is checked: reads, or a result file made
    elsewhere (one file). The samples of a `.vidjil` of several, read whole (a malformed one
    refused naming its field); None for any other file."""
    try:
        for path in group:
            check_reads_file(path, CHECK_RECORDS)
        if len(group) == 2:
            check_pair(group[0], group[1], CHECK_RECORDS)
    except InputFormatError as error:
        if len(group) == 2 or not sniff_result(group[0]).suffix:
            raise renamed(error, {}) from error  # not a result file: the reads error it is
        try:
            return vidjil_samples.read_split(group[0], relative, _sha256(group[0]))
        except InputFormatError as malformed:
            raise renamed(malformed, {}) from malformed
    return None


def _stored(group: list[Path], name: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(original names, stored fields) of a picked file or pair (its R1's own name kept)."""
    names: dict[str, Any] = {"original_name": name or group[0].name}
    stored: dict[str, Any] = {
        "network": 1,
        "status": SampleStatus.READY,
        "stored_name": str(group[0]),
        "size": group[0].stat().st_size,
        "sha256": _sha256(group[0]),
    }
    if len(group) == 2:
        names.update(original_name1=group[0].name, original_name2=group[1].name)
        stored.update(
            stored_name2=str(group[1]), size2=group[1].stat().st_size, sha256_2=_sha256(group[1])
        )
    return names, stored


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(HASH_BLOCK):
            hasher.update(block)
    return hasher.hexdigest()
