"""Read an exchange archive made by `export.py`, trusting nothing: a zip holding exactly the
manifest and the files it lists (safe relative names, no links, no duplicates), each of the
listed size and SHA-256, and records that pass their models. Anything else is a damaged or
tampered archive, refused before a byte is written. Members are checked again while they are
copied out, so a file changed on disk after the check is refused too."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from pydantic import ValidationError

from vidjil_local.errors import InputFormatError, invalid_fields
from vidjil_local.services.exchange import records as r

CHUNK = 1 << 20
MAX_RECORDS = 512 << 20  # bytes of records.json read into memory
MAX_MANIFEST = 64 << 20


class ArchiveRefused(InputFormatError):
    """A damaged, tampered or foreign archive."""

    code = "archive"


@dataclass(frozen=True)
class Archive:
    path: Path
    manifest: r.Manifest
    records: r.Records
    fingerprint: str  # SHA-256 of manifest.json


def open_archive(path: Path, expected_fingerprint: str | None = None) -> Archive:
    """The archive's manifest and records once every member checked out."""
    try:
        with zipfile.ZipFile(path) as archive:
            content = _read_small(archive, path, r.MANIFEST, MAX_MANIFEST)
            fingerprint = hashlib.sha256(content).hexdigest()
            if expected_fingerprint and fingerprint != expected_fingerprint.strip().lower():
                raise ArchiveRefused(
                    f"its fingerprint is {fingerprint}, not the expected one", str(path)
                )
            manifest = _manifest(path, content)
            _check_members(path, archive, manifest)
            for entry in manifest.files:
                with archive.open(entry.path) as member:
                    _copy_checked(path, member, None, entry)
            records = _records(path, _read_small(archive, path, r.RECORDS, MAX_RECORDS))
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise ArchiveRefused("no such file", str(path)) from None
        raise ArchiveRefused(f"not a readable zip archive ({error})", str(path)) from None
    if r.RECORDS not in {entry.path for entry in manifest.files}:
        raise ArchiveRefused(f"the manifest does not list {r.RECORDS}", str(path))
    return Archive(path, manifest, records, fingerprint)


def extract(archive_path: Path, entry: r.ArchivedFile, target: Path) -> None:
    """Copy one member to `target` (a new file), checking its size and SHA-256 on the way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            zipfile.ZipFile(archive_path) as archive,
            archive.open(entry.path) as member,
            target.open("xb") as output,
        ):
            _copy_checked(archive_path, member, output, entry)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _read_small(archive: zipfile.ZipFile, path: Path, name: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ArchiveRefused(f"no {name}: not a vidjil-local exchange archive", str(path)) from None
    if info.file_size > limit:
        raise ArchiveRefused(f"{name} is larger than {limit} bytes", str(path))
    return archive.read(info)


def _manifest(path: Path, content: bytes) -> r.Manifest:
    try:
        raw = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveRefused(f"{r.MANIFEST} is not JSON ({error})", str(path)) from None
    if isinstance(raw, dict) and raw.get("format") == r.FORMAT:
        version = raw.get("format_version")
        if isinstance(version, int) and version > r.FORMAT_VERSION:
            raise ArchiveRefused(
                f"written by a newer vidjil-local (archive format {version}, this version "
                f"reads {r.FORMAT_VERSION}): import it with a newer version",
                str(path),
            )
    try:
        return r.Manifest.model_validate(raw)
    except ValidationError as error:
        raise ArchiveRefused(invalid_fields(error, r.MANIFEST).message, str(path)) from None


def _records(path: Path, content: bytes) -> r.Records:
    try:
        return r.Records.model_validate_json(content)
    except ValidationError as error:
        raise ArchiveRefused(invalid_fields(error, r.RECORDS).message, str(path)) from None


def _check_members(path: Path, archive: zipfile.ZipFile, manifest: r.Manifest) -> None:
    listed = [entry.path for entry in manifest.files]
    names = archive.namelist()
    for name in listed:
        if not _safe_name(name):
            raise ArchiveRefused(f"unsafe member name {name!r}", str(path))
    if len(set(listed)) != len(listed) or len(set(names)) != len(names):
        raise ArchiveRefused("a member is listed twice", str(path))
    extra = sorted(set(names) - set(listed) - {r.MANIFEST})
    missing = sorted(set(listed) - set(names))
    if extra or missing or r.MANIFEST in listed:
        problems = [f"not in the manifest: {', '.join(extra[:5])}" if extra else "",
                    f"missing: {', '.join(missing[:5])}" if missing else ""]  # fmt: skip
        raise ArchiveRefused(
            "its members differ from its manifest (" + "; ".join(p for p in problems if p) + ")",
            str(path), extra=extra, missing=missing,
        )  # fmt: skip
    for info in archive.infolist():
        if stat.S_ISLNK(info.external_attr >> 16) or info.is_dir():
            raise ArchiveRefused(f"{info.filename} is not a plain file", str(path))


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and "\\" not in name
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
        and PurePosixPath(*parts).as_posix() == name
        and parts[0] in ("results", "sequences", r.RECORDS)
    )


def _copy_checked(
    path: Path, member: IO[bytes], output: IO[bytes] | None, entry: r.ArchivedFile
) -> None:
    digest = hashlib.sha256()
    size = 0
    while chunk := _read(path, member, entry):
        size += len(chunk)
        if size > entry.size:
            break
        digest.update(chunk)
        if output is not None:
            output.write(chunk)
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise ArchiveRefused(
            f"{entry.path} is damaged or was changed (size or SHA-256 differs from the manifest)",
            str(path),
            member=entry.path,
        )


def _read(path: Path, member: IO[bytes], entry: r.ArchivedFile) -> bytes:
    """The next chunk of a member; a member failing the zip's CRC-32 or whose compressed data
    does not inflate (a byte changed inside it) is damaged, as one with a wrong SHA-256 is."""
    try:
        return member.read(CHUNK)
    except (zlib.error, zipfile.BadZipFile) as error:  # zip's own CRC-32 check, or inflate
        raise ArchiveRefused(
            f"{entry.path} is damaged or was changed ({error})",
            str(path),
            member=entry.path,
        ) from None
