"""What one backup holds: `manifest.json` of a snapshot, checked with pydantic when read back.

The manifest names every file by its logical path (`results/...`, `germlines/...`, `sequences/...`,
`settings.toml`), with its size, SHA-256 and modification time (the time lets the next backup reuse
the stored copy of a file that did not change without reading it again). The database copy lives
next to the manifest; the files live once each in the store's `objects/`, named by their SHA-256.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vidjil_local.errors import VidjilError, invalid_fields

FORMAT = "vidjil-local-backup"
MANIFEST = "manifest.json"
DATABASE = "vidjil.sqlite"
SHA256 = r"^[0-9a-f]{64}$"


class BackupError(VidjilError):
    """A backup that cannot be made, read or restored; the message says why."""

    code = "backup"
    http_status = 503


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileEntry(_Frozen):
    path: str = Field(pattern=r"^(results|germlines|sequences)/[^\x00]+$|^settings\.toml$")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=SHA256)
    mtime_ns: int

    @field_validator("path")
    @classmethod
    def _inside(cls, path: str) -> str:
        """A restore writes the file at this path: nothing may lead out of its folder."""
        parts = PurePosixPath(path).parts
        if "\\" in path or any(part in ("..", ".", "") for part in parts) or len(parts) > 64:
            raise ValueError("must be a plain relative path")
        return path


class DatabaseEntry(_Frozen):
    size: int = Field(ge=0)
    sha256: str = Field(pattern=SHA256)
    migrations: list[str]  # the schema: the migrations applied to the copy


class Totals(_Frozen):
    files: int
    bytes: int  # the files and the database
    new_bytes: int  # written by this backup (files not found in the store before, the database)


class Manifest(_Frozen):
    format: Literal["vidjil-local-backup"] = "vidjil-local-backup"
    format_version: Literal[1] = 1
    snapshot: str
    created_at: str
    finished_at: str
    app_version: str
    install_id: str
    data_dir: str
    trigger: str
    sequences_included: bool
    database: DatabaseEntry
    files: list[FileEntry]
    totals: Totals

    def write(self, folder: Path) -> Path:
        """Write `manifest.json` into `folder` (temporary file, fsync, rename)."""
        text = self.model_dump_json(indent=1)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".manifest-")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / MANIFEST)
        return folder / MANIFEST


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a complete backup (no {MANIFEST})") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a vidjil-local backup")
    try:
        return Manifest.model_validate(content)
    except ValidationError as error:
        problem = invalid_fields(error, str(path))
        raise BackupError(problem.message, fields=problem.details["fields"]) from None
