"""What the app started from an icon needs of its surroundings: a log file (no console to print to)
and, in the frozen build, the system's library path for the programs it starts (the browser)."""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = Path("logs") / "vidjil-local.log"
LOG_FILE_BYTES = 5_000_000
LOG_FILES_KEPT = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_file(data_dir: Path, level: str) -> Path:
    """Also write the log to `logs/vidjil-local.log` of the data folder (three 5 MB files)."""
    path = data_dir / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILES_KEPT - 1, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level.upper())
    logging.getLogger().addHandler(handler)
    return path


def give_outside_programs_the_system_libraries() -> None:
    """PyInstaller's bootloader points LD_LIBRARY_PATH at the bundle's own libraries (the original
    value is in LD_LIBRARY_PATH_ORIG); a browser started with it loads our copies of libssl or libz
    and may fail. Our own spawned processes are the frozen executable again, whose bootloader sets
    the variable anew, so restoring it for the whole process is safe."""
    if not getattr(sys, "frozen", False) or "LD_LIBRARY_PATH" not in os.environ:
        return
    original = os.environ.get("LD_LIBRARY_PATH_ORIG")
    if original:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        del os.environ["LD_LIBRARY_PATH"]
