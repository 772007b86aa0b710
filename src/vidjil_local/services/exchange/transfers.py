"""Export and import from the administration page (the command line writes and reads archives
where it is told). An export is written to `<data folder>/exchange/exports/<token>.zip` for the
admin to download; an uploaded archive waits in `exchange/imports/<token>.zip` while the admin
reads its manifest and maps its configs. Tokens are random; archives are removed after an
import, a discard, or a day (they hold patient data: the folder is not backed up, and lives no
longer than needed)."""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from vidjil_local.db import Database
from vidjil_local.errors import NotFound
from vidjil_local.services import audit
from vidjil_local.services.exchange import export, importing
from vidjil_local.services.exchange import records as r
from vidjil_local.services.exchange.archive import Archive, ArchiveRefused
from vidjil_local.settings import Settings

FOLDER = "exchange"
KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")
UPLOADED = "the uploaded archive"


@dataclass(frozen=True)
class ExportDone:
    token: str
    file_name: str  # offered to the browser
    fingerprint: str
    sets: int
    samples: int
    results: int
    files: int
    size: int


@dataclass(frozen=True)
class ArchivedSet:
    id: int
    kind: str
    label: str  # the name a list of sets shows
    samples: int


@dataclass(frozen=True)
class ArchivedConfig:
    archived_id: int
    name: str
    program: str
    germline: str
    local_id: int | None  # the config here it maps to; None: to choose
    local_name: str | None


@dataclass(frozen=True)
class ImportPreview:
    token: str
    fingerprint: str
    created_at: str
    app_version: str
    scope: str
    with_sequences: bool
    sets: list[ArchivedSet]
    samples: int
    results: int
    analyses: int
    files: int
    size: int
    configs: list[ArchivedConfig]
    users: int
    users_matched: int


@dataclass(frozen=True)
class ImportDone:
    group_id: int
    group_name: str
    set_ids: dict[int, int]  # archived id -> id here
    samples: int
    results: int
    analyses: int
    files: int


def folder(data_dir: Path, kind: str) -> Path:
    return data_dir / FOLDER / kind


def prune(data_dir: Path, now: float | None = None) -> None:
    """Remove the archives older than a day (downloaded or abandoned)."""
    limit = (now or time.time()) - KEPT_SECONDS
    for kind in ("exports", "imports"):
        for path in folder(data_dir, kind).glob("*.zip*"):
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)


def _archive_path(data_dir: Path, kind: str, token: str) -> Path:
    path = folder(data_dir, kind) / f"{token}.zip"
    if not TOKEN.match(token) or not path.is_file():
        raise NotFound("no such archive here (archives are kept a day)", token=token)
    return path


def _new_token(data_dir: Path, kind: str) -> tuple[str, Path]:
    folder(data_dir, kind).mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    return token, folder(data_dir, kind) / f"{token}.zip"


def export_for_download(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    *,
    scope: export.Scope,
    with_sequences: bool,
) -> ExportDone:
    prune(settings.data_dir)
    token, path = _new_token(settings.data_dir, "exports")
    done = export.export_archive(
        database, settings, actor, scope=scope, destination=path, with_sequences=with_sequences
    )
    return ExportDone(
        token=token, file_name=download_name(path),
        fingerprint=done.fingerprint, sets=done.sets, samples=done.samples,
        results=done.results, files=done.files, size=done.size,
    )  # fmt: skip


def download_name(path: Path) -> str:
    """`vidjil-local-<scope>-<UTC time>.zip`, from the archive's manifest."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(r.MANIFEST))
    stamp = re.sub(r"[^0-9]", "", str(manifest["created_at"]))[:12]
    name = f"vidjil-local-{manifest['scope']}-{stamp[:8]}-{stamp[8:]}.zip"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)


def exported(data_dir: Path, token: str) -> Path:
    return _archive_path(data_dir, "exports", token)


def new_upload(data_dir: Path) -> tuple[str, Path]:
    """Where an uploaded archive is received (the caller removes it when refused)."""
    prune(data_dir)
    return _new_token(data_dir, "imports")


def preview(database: Database, data_dir: Path, token: str) -> ImportPreview:
    """What an uploaded archive holds and how its configs map here; ArchiveRefused (the upload
    removed) for a damaged, tampered or foreign archive."""
    path = _archive_path(data_dir, "imports", token)
    try:
        with _told_as_uploaded(path):
            archive = importing.checked_archive(path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    db = database.db()
    links = importing.link_configs(db, archive, {})
    return _preview(token, archive, links, importing.users_matched(db, archive))


def _preview(
    token: str, archive: Archive, links: tuple[importing.ConfigLink, ...], matched: int
) -> ImportPreview:
    records, manifest = archive.records, archive.manifest
    members: dict[int, int] = {}
    for link in records.set_samples:
        members[link.sample_set_id] = members.get(link.sample_set_id, 0) + 1
    return ImportPreview(
        token=token, fingerprint=archive.fingerprint, created_at=manifest.created_at,
        app_version=manifest.app_version, scope=manifest.scope,
        with_sequences=manifest.with_sequences,
        sets=[
            ArchivedSet(record.id, record.kind, _label(record), members.get(record.id, 0))
            for record in records.sample_sets
        ],
        samples=len(records.samples), results=len(records.results),
        analyses=len(records.analyses), files=len(manifest.files) + 1,  # and itself
        size=sum(entry.size for entry in manifest.files),
        configs=[
            ArchivedConfig(
                link.archived.id, link.archived.name, link.archived.program,
                link.archived.germline, link.local_id, link.local_name,
            )
            for link in links
        ],
        users=len(records.users), users_matched=matched,
    )  # fmt: skip


def _label(record: r.SetRecord) -> str:
    if record.kind == "patient":
        name = f"{record.first_name} {record.last_name}".strip()
        return " ".join(part for part in (record.id_label, name and f"({name})") if part)
    return record.name or f"set {record.id}"


def run_import(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    token: str,
    *,
    group: str,
    configs: Mapping[str, str],
    fingerprint: str | None,
) -> ImportDone:
    """Import the uploaded archive `token` for `group` with the configs mapped (archived id ->
    id here); the upload is removed once imported."""
    path = _archive_path(settings.data_dir, "imports", token)
    with _told_as_uploaded(path):
        plan = importing.plan_import(
            database, path, group=group, config_map=configs,
            expected_fingerprint=fingerprint or None,
        )  # fmt: skip
    done = importing.import_archive(database, settings, actor, plan)
    path.unlink(missing_ok=True)
    return ImportDone(
        group_id=plan.group_id, group_name=plan.group_name, set_ids=done.set_ids,
        samples=done.samples, results=done.results, analyses=done.analyses, files=done.files,
    )  # fmt: skip


@contextlib.contextmanager
def _told_as_uploaded(path: Path) -> Iterator[None]:
    """A refusal names "the uploaded archive", not where the server keeps it."""
    try:
        yield
    except ArchiveRefused as refused:
        message = refused.message.removeprefix(f"{refused.path}: ")
        details = {k: v for k, v in refused.details.items() if k not in ("path", "line")}
        raise ArchiveRefused(message, UPLOADED, **details) from None


def discard(data_dir: Path, token: str) -> None:
    _archive_path(data_dir, "imports", token).unlink(missing_ok=True)
