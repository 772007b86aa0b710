"""Resolve the settings: defaults < data dir `settings.toml` < `VIDJIL_*` env < command line.

The result is a frozen `Settings` passed explicitly to whatever needs it; nothing runs at import.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from vidjil_local.errors import SettingError, SettingsFileError
from vidjil_local.settings.table import BY_NAME, SETTINGS, Setting

SETTINGS_FILE = "settings.toml"
DATA_DIR_ENV = "VIDJIL_DATA_DIR"


@dataclass(frozen=True)
class Settings:
    """Every setting of `SETTINGS`, typed, plus the data directory they were resolved for."""

    data_dir: Path
    host: str
    port: int
    open_browser: bool
    log_level: str
    sequences_dir: Path
    results_dir: Path
    file_source: Path | None
    file_types: tuple[str, ...]
    min_free_disk_percent: float
    workers_pool: int
    redis_url: str
    job_time_limit: int
    job_max_retries: int
    login_expiration: int
    max_wrong_passwords: int
    two_factor_required: bool
    session_secret_key: str
    healthcare_compliance: bool
    desktop_login_email: str
    smtp_server: str
    smtp_credentials: str
    smtp_from_email: str
    smtp_domain: str
    smtp_admin_emails: tuple[str, ...]
    smtp_email_subject_start: str
    smtp_tls: bool
    smtp_ssl: bool
    metrics_user_email: str
    metrics_user_password: str
    default_germline: str

    @property
    def worker_count(self) -> int:
        """Analyses run at once: the setting, or CPU cores minus one (at least one)."""
        return self.workers_pool or max(1, available_cpus() - 1)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "vidjil.sqlite"

    def with_values(self, **values: Any) -> Settings:
        return replace(self, **values)


def available_cpus() -> int:
    """CPUs this process may use (cgroup/affinity aware on Linux, where os.cpu_count is not)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("vidjil-local", appauthor=False))


def parse_value(setting: Setting, raw: object) -> object:
    """Convert a raw value (TOML, environment or command line) to the setting's type."""
    try:
        value = _convert(setting, raw)
    except (TypeError, ValueError) as error:
        raise SettingError(
            f"setting {setting.name}: {raw!r} is not a valid {setting.type} ({error})",
            setting=setting.name,
        ) from None
    if setting.minimum is not None and isinstance(value, int | float) and value < setting.minimum:
        raise SettingError(
            f"setting {setting.name}: {value} is below its minimum {setting.minimum:g}",
            setting=setting.name,
        )
    return value


def _convert(setting: Setting, raw: object) -> object:
    kind = setting.type
    if kind == "bool":
        return _to_bool(raw)
    if kind == "int":
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError("expected a whole number")
        return int(str(raw).strip()) if isinstance(raw, str) else int(raw)  # type: ignore[call-overload]
    if kind == "float":
        if isinstance(raw, bool):
            raise ValueError("expected a number")
        return float(raw)  # type: ignore[arg-type]
    if kind == "list":
        if isinstance(raw, str):
            return [item.strip() for item in raw.split(",") if item.strip()]
        if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
            return list(raw)
        raise ValueError("expected a list of strings or a comma-separated string")
    if not isinstance(raw, str):
        raise ValueError("expected text")
    return raw


def _to_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def read_settings_file(data_dir: Path) -> dict[str, object]:
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            content = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SettingsFileError(f"{path}: not valid TOML ({error})", path=str(path)) from None
    unknown = sorted(set(content) - set(BY_NAME))
    if unknown:
        raise SettingsFileError(f"{path}: unknown setting(s) {', '.join(unknown)}", path=str(path))
    return dict(content)


def write_setting(data_dir: Path, name: str, raw_value: str) -> object:
    """Validate and store one setting in `settings.toml` (atomically); return the typed value."""
    setting = lookup(name)
    value = parse_value(setting, raw_value)
    content = read_settings_file(data_dir)
    content[name] = value
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    temporary = path.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps(content), encoding="utf-8")
    os.replace(temporary, path)
    return value


def lookup(name: str) -> Setting:
    try:
        return BY_NAME[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}", setting=name) from None


def resolve_data_dir(explicit: Path | str | None, environ: Mapping[str, str]) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    if environ.get(DATA_DIR_ENV):
        return Path(environ[DATA_DIR_ENV]).expanduser().resolve()
    return default_data_dir()


def resolve_settings(
    data_dir: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """Build the frozen settings: defaults < settings.toml < VIDJIL_* environment < `overrides`."""
    environ = os.environ if environ is None else environ
    directory = resolve_data_dir(data_dir, environ)
    values: dict[str, object] = {setting.name: setting.default for setting in SETTINGS}
    for name, raw in read_settings_file(directory).items():
        values[name] = parse_value(BY_NAME[name], raw)
    for setting in SETTINGS:
        if setting.env_name in environ:
            values[setting.name] = parse_value(setting, environ[setting.env_name])
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = parse_value(lookup(name), raw)
    return _build(directory, values)


def _build(data_dir: Path, values: dict[str, object]) -> Settings:
    def folder(name: str, fallback: str) -> Path:
        text = str(values[name])
        return Path(text).expanduser() if text else data_dir / fallback

    source = str(values["file_source"])
    typed: dict[str, object] = dict(values)
    typed.update(
        sequences_dir=folder("sequences_dir", "sequences"),
        results_dir=folder("results_dir", "results"),
        file_source=Path(source).expanduser() if source else None,
        file_types=tuple(_strings(values["file_types"])),
        smtp_admin_emails=tuple(_strings(values["smtp_admin_emails"])),
    )
    names = {field.name for field in fields(Settings)} - {"data_dir"}
    return Settings(data_dir=data_dir, **{name: typed[name] for name in names})  # type: ignore[arg-type]


def _strings(value: object) -> list[str]:
    assert isinstance(value, list | tuple)
    return [str(item) for item in value]


def display_value(settings: Settings, setting: Setting) -> str:
    value = getattr(settings, setting.name)
    if setting.secret:
        return "***" if value else ""
    if isinstance(value, tuple):
        return ",".join(value)
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)
