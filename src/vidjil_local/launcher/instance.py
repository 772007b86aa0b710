"""One running app per data dir: an OS file lock plus a small file saying where it listens.

The lock dies with the process (kill -9 included), so a crash never leaves the data dir locked.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vidjil_local.errors import AlreadyRunning
from vidjil_local.file_lock import try_exclusive_lock

LOCK_FILE = "instance.lock"
INFO_FILE = "instance.json"


@dataclass(frozen=True)
class RunningInstance:
    pid: int
    host: str
    port: int
    network_url: str | None = None  # the HTTPS listener for the lab network, when on

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._handle: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.data_dir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115
        if not _try_lock(handle):
            handle.close()
            return False
        self._handle = handle
        return True

    def acquire_or_raise(self) -> None:
        if not self.acquire():
            running = read_running(self.data_dir)
            where = f" at {running.url} (pid {running.pid})" if running else ""
            raise AlreadyRunning(
                f"vidjil-local is already running on {self.data_dir}{where}",
                data_dir=str(self.data_dir),
            )

    def publish(self, host: str, port: int, network_url: str | None = None) -> None:
        info = {"pid": os.getpid(), "host": host, "port": port, "network_url": network_url}
        temporary = self.data_dir / (INFO_FILE + ".tmp")
        temporary.write_text(json.dumps(info), encoding="utf-8")
        os.replace(temporary, self.data_dir / INFO_FILE)

    def release(self) -> None:
        if self._handle is not None:
            (self.data_dir / INFO_FILE).unlink(missing_ok=True)
            self._handle.close()
            self._handle = None


def read_running(data_dir: Path) -> RunningInstance | None:
    try:
        info = json.loads((data_dir / INFO_FILE).read_text(encoding="utf-8"))
        network = info.get("network_url")
        return RunningInstance(
            int(info["pid"]),
            str(info["host"]),
            int(info["port"]),
            str(network) if network else None,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _try_lock(handle: IO[str]) -> bool:
    try:
        return try_exclusive_lock(handle)
    except OSError:  # a data folder that cannot be locked: act as if another instance held it
        return False
