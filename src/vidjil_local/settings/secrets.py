"""Where the secret settings live (the session key, the SMTP credentials, the metrics password):
the OS keyring when a real one answers, else 0600 files in a 0700 `secrets/` folder of the data
dir. Never `settings.toml`, which `settings set` and the admin page write for everything else.

"A real one" is the platform's keyring (Windows Credential Locker, macOS Keychain, Secret Service
or KWallet on a Linux desktop). `keyring` falls back to its `fail` backend on a headless Linux,
and a `keyrings.alt` backend, if someone installed it, would silently write the secrets in
plaintext to a 0755 folder of the home (stack-notes.md section 5): both are refused, and the file
store, which says what it is, is used instead.

Moving between the two keeps the values (so logins and CSRF cookies stay valid): with
`secret_store = auto`, secrets found in files move into a keyring that answers; with
`secret_store = file`, secrets found in the keyring move into files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

FOLDER = "secrets"
SERVICE_PREFIX = "vidjil-local"
REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
LEGACY_FILE_NAMES = {"session_secret_key": "session"}  # before the keyring: secrets/session
MODES = ("auto", "file")


@dataclass(frozen=True)
class StoreInfo:
    """What the admin page says about where the secrets are."""

    kind: str  # "keyring" or "file"
    backend: str  # the keyring backend's name, or "files"
    location: str
    reason: str  # why this store was chosen


class _Backend(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class _Files:
    """One 0600 file per secret in a 0700 folder; written to a temporary file then renamed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)

    def get(self, name: str) -> str | None:
        path = self.folder / name
        legacy = self.folder / LEGACY_FILE_NAMES.get(name, name)
        if not path.exists() and legacy.exists():
            os.replace(legacy, path)
        if not path.exists():
            return None
        return path.read_text(encoding="utf-8").strip() or None

    def set(self, name: str, value: str) -> None:
        self._ensure_folder()
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".")  # created 0600
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value)
        os.replace(temporary, self.folder / name)

    def delete(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)
        (self.folder / LEGACY_FILE_NAMES.get(name, name)).unlink(missing_ok=True)

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        files = [path.name for path in self.folder.iterdir() if path.is_file()]
        known = {LEGACY_FILE_NAMES.get(name, name): name for name in files}
        return sorted({known.get(name, name) for name in files if not name.startswith(".")})


class _Keyring:
    def __init__(self, backend: Any, service: str) -> None:
        self.backend = backend
        self.service = service

    def get(self, name: str) -> str | None:
        value = self.backend.get_password(self.service, name)
        return str(value) if value else None

    def set(self, name: str, value: str) -> None:
        self.backend.set_password(self.service, name, value)

    def delete(self, name: str) -> None:
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # not there: nothing to delete
            self.backend.delete_password(self.service, name)


def refused(backend: Any) -> bool:
    """A backend that stores nothing (fail, null) or stores in plaintext (keyrings.alt)."""
    module = type(backend).__module__
    return any(module == name or module.startswith(name + ".") for name in REFUSED_BACKENDS)


def platform_keyring() -> tuple[Any | None, str]:
    """The OS keyring backend to use, or None with the reason none is usable.

    A chainer (keyring's default when several backends are installed) is looked through: its best
    backend that is not refused is used directly, so a refused one behind it is never written.
    """
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend

        chosen = keyring.get_keyring()
        candidates = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    except Exception as error:  # a broken keyring configuration: say so, use the files
        return None, f"the keyring library failed to start ({error})"
    usable = [backend for backend in candidates if not refused(backend)]
    if not usable:
        names = ", ".join(_name(backend) for backend in candidates) or "none"
        return None, f"no OS keyring on this computer (keyring offered: {names})"
    backend = usable[0]
    try:
        backend.get_password(f"{SERVICE_PREFIX} probe", "probe")
    except Exception as error:  # locked, no D-Bus session, access denied...
        return None, f"the OS keyring ({_name(backend)}) did not answer: {error}"
    return backend, f"the OS keyring ({_name(backend)}) answers"


def _name(backend: Any) -> str:
    return str(getattr(backend, "name", type(backend).__name__))


class SecretStore:
    """The secrets of one data dir. `mode` is the `secret_store` setting: auto or file."""

    def __init__(self, data_dir: Path, mode: str = "auto", names: tuple[str, ...] = ()) -> None:
        self.files = _Files(data_dir / FOLDER)
        self.service = f"{SERVICE_PREFIX} {data_dir.expanduser().resolve()}"
        self.mode = mode if mode in MODES else "auto"
        self.known_names = names
        self._backend: _Backend | None = None
        self._info: StoreInfo | None = None

    @property
    def info(self) -> StoreInfo:
        self._open()
        assert self._info is not None
        return self._info

    def get(self, name: str) -> str | None:
        return self._open().get(name)

    def set(self, name: str, value: str) -> None:
        if value:
            self._open().set(name, value)
        else:
            self.delete(name)

    def delete(self, name: str) -> None:
        self._open().delete(name)

    def get_or_create(self, name: str, length: int = 48) -> str:
        existing = self.get(name)
        if existing:
            return existing
        value = secrets.token_urlsafe(length)
        self.set(name, value)
        return value

    def _open(self) -> _Backend:
        if self._backend is None:
            self._backend, self._info = self._choose()
        return self._backend

    def _choose(self) -> tuple[_Backend, StoreInfo]:
        backend, reason = platform_keyring()
        if backend is not None and self.mode == "auto":
            keyring = _Keyring(backend, self.service)
            moved = self._move(self.files, keyring, self.files.names())
            if moved is None:
                info = StoreInfo("keyring", _name(backend), f"service {self.service!r}", reason)
                return keyring, info
            reason = f"the OS keyring ({_name(backend)}) refused a secret: {moved}"
        elif backend is not None:  # mode "file": bring back what an earlier run kept there
            self._move(_Keyring(backend, self.service), self.files, self.known_names)
            reason = "secret_store is set to file"
        where = f"{self.files.folder} (one 0600 file per secret in a 0700 folder)"
        return self.files, StoreInfo("file", "files", where, reason)

    @staticmethod
    def _move(source: _Backend, target: _Backend, names: list[str] | tuple[str, ...]) -> str | None:
        """Copy every secret and check it reads back, then delete them from `source`. When the
        target fails, the copies made are removed and all secrets stay in `source`; the error
        text is returned."""
        copied: list[str] = []
        try:
            for name in names:
                value = source.get(name)
                if value is None:
                    continue
                copied.append(name)
                target.set(name, value)
                if target.get(name) != value:
                    raise ValueError(f"{name} did not read back")
        except Exception as error:  # a keyring error of any backend
            log.warning("moving the secrets to another store failed: %s", error)
            for name in copied:
                with contextlib.suppress(Exception):
                    target.delete(name)
            return str(error)
        for name in copied:
            source.delete(name)
            log.info("moved the secret %s to the %s store", name, type(target).__name__)
        return None
