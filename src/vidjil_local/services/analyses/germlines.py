"""Germline sets: the bundled human set, and the sets an admin imports (Vidjil's format, zipped).

An imported set lives in `<data dir>/germlines/<name>/` and is named in configs like the bundled one
(`<name>` or `<name>:IGH,TRG`). Archives are checked before anything is kept: no absolute paths, no
`..`, no links, bounded sizes, exactly one `.g` preset, and the set must load.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from vidjil_local.db import Database
from vidjil_local.errors import Conflict, GermlineError, NotFound, UsageError
from vidjil_local.germline import load_germline
from vidjil_local.germline.loader import BUNDLED, split_spec
from vidjil_local.services import audit
from vidjil_local.settings import Settings

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_FILES = 2000
MAX_UNCOMPRESSED = 500 * 1024 * 1024


@dataclass(frozen=True)
class GermlineInfo:
    name: str
    bundled: bool
    loci: list[str]
    genes: dict[str, int]  # locus -> V + D + J alleles
    provenance: str
    warnings: list[str]


def folder(settings: Settings) -> Path:
    return settings.germlines_dir


def preset_of(settings: Settings, name: str) -> Path | None:
    """The `.g` file of an imported set, or None."""
    directory = folder(settings) / name
    if not NAME.match(name) or not directory.is_dir():
        return None
    presets = sorted(directory.rglob("*.g"))
    return presets[0] if len(presets) == 1 else None


def resolve_spec(settings: Settings, spec: str) -> str:
    """What `load_germline` reads for a config's germline: bundled names as they are, imported
    names as the path of their preset, with the loci selection kept."""
    name, selection = split_spec(spec)
    if name in BUNDLED:
        return spec
    preset = preset_of(settings, name)
    if preset is None:
        raise GermlineError(f"unknown germline set {name!r}", germline=name)
    return f"{preset}:{','.join(selection)}" if selection else str(preset)


def describe(settings: Settings, name: str) -> GermlineInfo:
    loaded = load_germline(resolve_spec(settings, name))
    loci = [locus.name for locus in loaded.germline_set.loci]
    genes = {
        locus.name: len(locus.v_genes) + len(locus.d_genes) + len(locus.j_genes)
        for locus in loaded.germline_set.loci
    }
    return GermlineInfo(name, name in BUNDLED, loci, genes, loaded.provenance, loaded.warnings)


def list_sets(settings: Settings) -> list[GermlineInfo]:
    names = ["human"]
    if folder(settings).is_dir():
        names += sorted(p.name for p in folder(settings).iterdir() if preset_of(settings, p.name))
    return [describe(settings, name) for name in names]


def _check_name(settings: Settings, name: str) -> None:
    if not NAME.match(name):
        raise UsageError(
            "a germline set name is 1-40 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    if name in BUNDLED or (folder(settings) / name).exists():
        raise Conflict(f"a germline set named {name!r} already exists", name=name)


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_FILES:
        raise UsageError(f"the archive has more than {MAX_FILES} files")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
        raise UsageError(f"the archive unpacks to more than {MAX_UNCOMPRESSED // 2**20} MB")
    for member in members:
        path = PurePosixPath(member.filename)
        mode = member.external_attr >> 16
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
            raise UsageError(f"unsafe path in the archive: {member.filename!r}")
        if stat.S_ISLNK(mode):
            raise UsageError(f"links are not allowed in the archive: {member.filename!r}")
    _refuse_clashes(members)
    return members


def _refuse_clashes(members: list[zipfile.ZipInfo]) -> None:
    """A name given twice, or to a file and to a folder holding files, cannot be unpacked."""
    files: set[PurePosixPath] = set()
    folders: set[PurePosixPath] = set()
    for member in members:
        path = PurePosixPath(member.filename)
        if not member.is_dir():
            if path in files:
                raise UsageError(f"the archive holds {member.filename!r} twice")
            files.add(path)
        folders.update(path.parents if not member.is_dir() else (path, *path.parents))
    for clash in sorted(files & folders):
        raise UsageError(f"{str(clash)!r} is both a file and a folder in the archive")


def import_archive(
    database: Database, settings: Settings, actor: audit.Actor, name: str, archive_path: Path
) -> GermlineInfo:
    """Unpack a zipped Vidjil germline folder (a `.g` and its FASTA files) as set `name`."""
    _check_name(settings, name)
    folder(settings).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=folder(settings)))
    try:
        _unpack(archive_path, staging)
        presets = sorted(staging.rglob("*.g"))
        if len(presets) != 1:
            raise GermlineError(
                f"the archive must hold exactly one .g preset, it holds {len(presets)}"
            )
        check_confined(presets[0], staging)
        load_germline(str(presets[0]))  # every problem of the set is a GermlineError here
        staging.rename(folder(settings) / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    audit.record_now(database, actor, "import_germline", table_name="germlines", name=name)
    return describe(settings, name)


def _unpack(archive_path: Path, staging: Path) -> None:
    try:
        with zipfile.ZipFile(archive_path) as archive:
            archive.extractall(staging, members=_safe_members(archive))
    except (zipfile.BadZipFile, EOFError) as error:
        raise UsageError(f"not a zip archive: {error}") from None
    except (OSError, ValueError) as error:  # a name the file system refuses, a bad CRC...
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise UsageError(f"the archive cannot be unpacked: {reason}") from None


def check_confined(preset: Path, root: Path) -> None:
    """Refuse a preset whose folder (`path`) or germline files lie outside `root`, the folder
    of its set: an imported set reads its own files, never others of the server."""
    try:
        content = json.loads(preset.read_bytes())
    except (OSError, ValueError, RecursionError):
        return  # not a preset: load_germline says what is wrong with it
    if not isinstance(content, dict):
        return
    inside = root.resolve()
    folder = content.get("path", ".")
    folder = folder if isinstance(folder, str) else "."
    directory = preset.parent / folder
    named = [(folder, directory)] + [(name, directory / name) for name in _file_names(content)]
    for written, path in named:
        if not path.resolve().is_relative_to(inside):
            shown = "an absolute path" if Path(written).is_absolute() else repr(written[:80])
            raise GermlineError(
                f"the preset {preset.name} names a file outside its set's folder ({shown})"
            )


def _file_names(content: dict[str, Any]) -> list[str]:
    systems = content.get("systems")
    names: list[str] = []
    for system in systems.values() if isinstance(systems, dict) else []:
        recombinations = system.get("recombinations") if isinstance(system, dict) else None
        for recombination in recombinations if isinstance(recombinations, list) else []:
            for key in ("5", "4", "3"):
                listed = recombination.get(key) if isinstance(recombination, dict) else None
                names += [str(name) for name in listed] if isinstance(listed, list) else []
    return names


def delete_set(database: Database, settings: Settings, actor: audit.Actor, name: str) -> None:
    if name in BUNDLED:
        raise Conflict("the bundled germline set cannot be deleted")
    if preset_of(settings, name) is None:
        raise NotFound(f"no germline set {name!r}", name=name)
    users = [
        str(row[0])
        for row in database.db()
        .execute(
            "SELECT name FROM configs WHERE germline = ? OR germline LIKE ?", [name, f"{name}:%"]
        )
        .fetchall()
    ]
    if users:
        raise Conflict(
            f"germline set {name!r} is used by the analysis config(s) {', '.join(users)}",
            configs=users,
        )
    shutil.rmtree(folder(settings) / name)
    audit.record_now(database, actor, "delete_germline", table_name="germlines", name=name)


MAX_GENES = 50


def gene_sequences(settings: Settings, *, name: str, genes: list[str]) -> dict[str, str]:
    """The sequences of these genes (allele names such as `IGHV3-23*01`) in the set `name`, for
    the results viewer; genes the set lacks are left out."""
    if not genes or len(genes) > MAX_GENES:
        raise UsageError(f"ask for 1 to {MAX_GENES} genes", count=len(genes))
    if name not in BUNDLED and preset_of(settings, name) is None:
        raise NotFound(f"no germline set {name!r}", germline=name)
    wanted = set(genes)
    loaded = load_germline(resolve_spec(settings, name)).germline_set
    return {
        gene.name: gene.sequence
        for locus in loaded.loci
        for gene in (*locus.v_genes, *locus.d_genes, *locus.j_genes)
        if gene.name in wanted
    }
