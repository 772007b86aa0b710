"""What a backup holds and what it does not, said once: for the backup itself, its check and the
admin page.

The files are found on disk (results, fused results, imported germline sets, settings.toml, and
the sequence files when `backup_sequences` is on); `referenced` lists those the database copy
names, so a backup can check it holds every file its database needs.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec

from vidjil_local.settings import SETTINGS_FILE, Settings


@dataclass(frozen=True)
class Source:
    path: str  # the path in the manifest, e.g. "results/12/40/diagnosis.vidjil"
    file: Path  # where it is on disk


class ContentLine(msgspec.Struct):
    what: str
    why: str


class Contents(msgspec.Struct):
    included: list[ContentLine]
    excluded: list[ContentLine]


def folders(settings: Settings) -> dict[str, Path]:
    """The folders a backup copies, by their name in the manifest."""
    chosen = {"results": settings.results_dir, "germlines": settings.germlines_dir}
    if settings.backup_sequences:
        chosen["sequences"] = settings.sequences_dir
    return chosen


def sources(settings: Settings) -> Iterator[Source]:
    """Every file to back up, in a stable order."""
    for name, root in folders(settings).items():
        yield from _tree(name, root)
    settings_file = settings.data_dir / SETTINGS_FILE
    if settings_file.is_file():
        yield Source(SETTINGS_FILE, settings_file)


def _tree(name: str, root: Path) -> Iterator[Source]:
    """The regular files under `root`, without hidden ones (files being written, atomically
    renamed later) nor uploads in progress (`.part`)."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(entry for entry in subfolders if not entry.startswith("."))
        for file_name in sorted(files):
            path = Path(folder) / file_name
            if file_name.startswith(".") or file_name.endswith(".part") or path.is_symlink():
                continue
            yield Source(f"{name}/{path.relative_to(root).as_posix()}", path)


def referenced(database_copy: Path, *, sequences: bool) -> set[str]:
    """The manifest paths of the files the database names: each result's `.vidjil` and AIRR
    file, each fused result, and (when sequences are backed up) each uploaded sequence file."""
    connection = sqlite3.connect(f"file:{database_copy}?mode=ro", uri=True)
    try:
        paths = set(_result_files(connection))
        paths |= {
            f"results/{row[0]}" for row in connection.execute("SELECT path FROM fused_results")
        }
        if sequences:
            paths |= set(_sequence_files(connection))
    finally:
        connection.close()
    return paths


def _result_files(connection: sqlite3.Connection) -> Iterator[str]:
    for folder, summary in connection.execute("SELECT folder, summary FROM results"):
        content = json.loads(summary)
        for kind in ("vidjil", "airr"):
            if isinstance(content.get(kind), str):
                yield f"results/{folder}/{content[kind]}"


def _sequence_files(connection: sqlite3.Connection) -> Iterator[str]:
    rows = connection.execute(
        "SELECT stored_name, stored_name2 FROM samples WHERE status = 'ready' AND network = 0"
    )
    for names in rows:
        yield from (f"sequences/{name}" for name in names if name)


def describe(settings: Settings) -> Contents:
    """What the Backups page says a backup holds, with the settings as they are now."""
    included = [
        ContentLine(
            "The database",
            "accounts (with their password hashes), groups and rights, patients, runs and sets, "
            "the samples' information, analysis configs, jobs, the records of results, the saved "
            "analyses (.analysis) and the audit log; copied whole while the app keeps working",
        ),
        ContentLine(
            "Results",
            f"every analysis's .vidjil, AIRR and window files and the fused results "
            f"({settings.results_dir})",
        ),
        ContentLine("Imported germline sets", str(settings.germlines_dir)),
        ContentLine("Settings", f"{SETTINGS_FILE} (it holds no secret)"),
    ]
    excluded = [
        ContentLine(
            "Secrets",
            "the session key and the SMTP and metrics passwords stay in the OS keyring or the "
            "secrets folder: after restoring on another computer, enter the passwords again",
        ),
        ContentLine("Login sessions", "after a restore everyone logs in again"),
        ContentLine("Logs", "the logs folder stays as it is"),
        ContentLine("Linked files", "files picked from file_source stay where they are"),
    ]
    sequences = ContentLine("Uploaded sequence files", str(settings.sequences_dir))
    if settings.backup_sequences:
        included.append(sequences)
    else:
        excluded.insert(
            0, ContentLine(sequences.what, "off (backup_sequences): keep the sequencer's files")
        )
    return Contents(included, excluded)
