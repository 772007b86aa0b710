"""The log files for administrators: which there are, the end of one (optionally only the lines
holding a text), and the file itself to download. Only the names the app writes are served."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from vidjil_local.errors import NotFound, UsageError
from vidjil_local.log import APP_LOG, REQUEST_LOG, log_folder
from vidjil_local.settings import Settings

LOG_NAME = re.compile(r"^(vidjil-local|requests)\.log(\.[1-9][0-9]?)?$")
MAX_LINES = 5000
TAIL_BYTES = 8 * 1024 * 1024  # read at most the last 8 MB of a file for its last lines


class LogFile(msgspec.Struct):
    name: str
    kind: str  # "app" (what the app says) or "requests" (one line per HTTP request)
    size: int
    modified_at: str


class LogLines(msgspec.Struct):
    name: str
    lines: list[str]  # oldest first
    earlier: bool  # the file (or the part read) holds earlier lines not shown


def _kind(name: str) -> str:
    return "requests" if name.startswith(REQUEST_LOG) else "app"


def list_logs(settings: Settings) -> list[LogFile]:
    """The log files, current ones first, then older ones newest first."""
    folder = log_folder(settings.data_dir)
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if LOG_NAME.match(path.name) and path.is_file()]
    found.sort(key=lambda path: (path.name.count(".") > 1, -path.stat().st_mtime, path.name))
    return [_describe(path) for path in found]


def _describe(path: Path) -> LogFile:
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds")
    return LogFile(path.name, _kind(path.name), stat.st_size, modified)


def log_path(settings: Settings, name: str) -> Path:
    path = log_folder(settings.data_dir) / name
    if not LOG_NAME.match(name) or not path.is_file():
        raise NotFound(f"no log file {name!r}", name=name)
    return path


def read_lines(settings: Settings, name: str, *, limit: int = 500, search: str = "") -> LogLines:
    """The last `limit` lines of a log, or of its lines holding `search` (case-insensitive)."""
    if not 1 <= limit <= MAX_LINES:
        raise UsageError(f"limit must be between 1 and {MAX_LINES}", limit=limit)
    path = log_path(settings, name)
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - TAIL_BYTES))
        text = handle.read().decode("utf-8", errors="replace")
    lines = text.splitlines()
    if size > TAIL_BYTES and lines:
        lines = lines[1:]  # the first line read is cut
    if search:
        wanted = search.casefold()
        lines = [line for line in lines if wanted in line.casefold()]
    earlier = len(lines) > limit or size > TAIL_BYTES
    return LogLines(name, lines[-limit:], earlier)


__all__ = ["APP_LOG", "REQUEST_LOG", "LogFile", "LogLines", "list_logs", "log_path", "read_lines"]
