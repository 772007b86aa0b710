"""Resolve the settings: defaults < data dir `settings.toml` < `VIDJIL_*` env < command line.

The result is a frozen `Settings` passed explicitly to whatever needs it; nothing runs at import.
"""

from __future__ import annotations

import logging
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from vidjil_local.errors import SettingError, SettingsFileError
from vidjil_local.settings.secrets import SecretStore
from vidjil_local.settings.table import BY_NAME, SETTINGS, Setting

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"
DATA_DIR_ENV = "VIDJIL_DATA_DIR"
SECRET_NAMES = tuple(setting.name for setting in SETTINGS if setting.secret)


@dataclass(frozen=True)
class Settings:
    """Every setting of `SETTINGS`, typed, plus the data directory they were resolved for."""

    data_dir: Path
    host: str
    port: int
    allowed_hosts: tuple[str, ...]
    open_browser: bool
    log_level: str
    log_file_megabytes: int
    log_files_kept: int
    sequences_dir: Path
    results_dir: Path
    file_source: Path | None
    file_types: tuple[str, ...]
    min_free_disk_percent: float
    workers_pool: int
    redis_url: str
    worker_redis_url: str
    worker_lease_seconds: int
    job_time_limit: int
    job_niceness: int
    job_max_retries: int
    network_access: bool
    network_address: str
    network_port: int
    tls_certificate: Path | None
    tls_key: Path | None
    tls_key_password: str
    login_expiration: int
    max_wrong_passwords: int
    max_wrong_passwords_per_address: int
    login_delay_seconds: int
    two_factor_required: bool
    session_secret_key: str = field(repr=False)
    secret_store: str
    healthcare_compliance: bool
    desktop_login_email: str
    smtp_server: str
    smtp_credentials: str = field(repr=False)
    smtp_from_email: str
    smtp_domain: str
    smtp_admin_emails: tuple[str, ...]
    smtp_email_subject_start: str
    smtp_tls: bool
    smtp_ssl: bool
    metrics_user_email: str
    metrics_user_password: str = field(repr=False)
    backup_dir: Path | None
    backup_schedule: str
    backup_sequences: bool
    backup_keep_last: int
    backup_keep_daily: int
    backup_keep_weekly: int
    backup_max_mb_per_second: float
    default_germline: str
    # the settings given on the command line (`--set`, `serve --port`): they win at every start
    from_command_line: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def worker_count(self) -> int:
        """Analyses run at once: the setting, or CPU cores minus one (at least one)."""
        return self.workers_pool or max(1, available_cpus() - 1)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "vidjil.sqlite"

    @property
    def germlines_dir(self) -> Path:
        """Where imported germline sets are kept, one folder each."""
        return self.data_dir / "germlines"

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
            f"setting {setting.name}: {_shown(setting, raw)} is not a valid {setting.type} "
            f"({error})",
            setting=setting.name,
        ) from None
    problem = _problem(setting, value)
    if problem:
        raise SettingError(f"setting {setting.name}: {problem}", setting=setting.name)
    return value


def _shown(setting: Setting, raw: object) -> str:
    return "***" if setting.secret else repr(raw)


def _problem(setting: Setting, value: object) -> str | None:
    if setting.type == "path" and value and not Path(str(value)).expanduser().is_absolute():
        return (
            f"{value!r} is not a full path: give one such as /data/vidjil or ~/vidjil (a "
            "relative path would depend on the folder the app was started from)"
        )
    if setting.minimum is not None and isinstance(value, int | float) and value < setting.minimum:
        return f"{value} is below its minimum {setting.minimum:g}"
    if setting.maximum is not None and isinstance(value, int | float) and value > setting.maximum:
        return f"{value} is above its maximum {setting.maximum:g}"
    control = _control_character(value)
    if control:
        return (
            f"holds the control character {control!r} (a line break, a tab...): a setting is "
            "one line of text"
        )
    if setting.choices and value not in setting.choices:
        return f"{value!r} is not one of {', '.join(setting.choices)}"
    return setting.check(value) if setting.check is not None else None


def _control_character(value: object) -> str | None:
    """The first control character of a text value: a line break in the e-mail subject prefix
    made every e-mail fail, a NUL in a path or an address fails later, far from the setting."""
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str):
            found = next((char for char in text if ord(char) < 0x20 or ord(char) == 0x7F), None)
            if found is not None:
                return found
    return None


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
        number = float(raw)  # type: ignore[arg-type]
        if not math.isfinite(number):  # nan compares false to every limit: no check at all
            raise ValueError("expected a finite number")
        return number
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


def write_setting(
    data_dir: Path, name: str, raw_value: str, environ: Mapping[str, str] | None = None
) -> object:
    """Validate and store one setting; return the typed value. A secret goes to the secret store
    (an empty value removes it), anything else to `settings.toml` (written atomically)."""
    setting = lookup(name)
    value = parse_value(setting, raw_value)
    if setting.secret:
        secret_store(data_dir, os.environ if environ is None else environ).set(name, str(value))
        return value
    content = read_settings_file(data_dir)
    content[name] = value
    _write_settings_file(data_dir, content)
    return value


def _write_settings_file(data_dir: Path, content: Mapping[str, object]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    temporary = path.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps(dict(content)), encoding="utf-8")
    os.replace(temporary, path)


def secrets_of(settings: Settings) -> SecretStore:
    """The secret store the running app uses."""
    return SecretStore(settings.data_dir, settings.secret_store, SECRET_NAMES)


def secret_store(data_dir: Path, environ: Mapping[str, str]) -> SecretStore:
    """The secret store of `data_dir`, in the mode the settings file and environment give."""
    mode = environ.get(BY_NAME["secret_store"].env_name) or read_settings_file(data_dir).get(
        "secret_store", BY_NAME["secret_store"].default
    )
    return SecretStore(data_dir, str(mode), SECRET_NAMES)


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
    """Build the frozen settings: defaults < settings.toml < secret store (secret settings) <
    VIDJIL_* environment < `overrides`."""
    environ = os.environ if environ is None else environ
    directory = resolve_data_dir(data_dir, environ)
    values: dict[str, object] = {setting.name: setting.default for setting in SETTINGS}
    for name, raw in read_settings_file(directory).items():
        values[name] = parse_value(BY_NAME[name], raw)
    pinned: set[str] = set()
    for setting in SETTINGS:
        if setting.env_name in environ:
            values[setting.name] = parse_value(setting, environ[setting.env_name])
            pinned.add(setting.name)
    given: set[str] = set()
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = parse_value(lookup(name), raw)
            given.add(name)
    pinned |= given
    store = SecretStore(directory, str(values["secret_store"]), SECRET_NAMES)
    _move_secrets_out_of_the_file(directory, store)
    for name in SECRET_NAMES:
        stored = store.get(name) if name not in pinned else None
        if stored is not None:
            values[name] = stored
    return replace(_build(directory, values), from_command_line=frozenset(given))


def _move_secrets_out_of_the_file(data_dir: Path, store: SecretStore) -> None:
    """Secrets written to settings.toml by an earlier version go to the secret store."""
    content = read_settings_file(data_dir)
    found = [name for name in SECRET_NAMES if name in content]
    if not found:
        return
    try:
        for name in found:
            if store.get(name) is None:
                store.set(name, str(content[name]))
        _write_settings_file(data_dir, {k: v for k, v in content.items() if k not in found})
    except OSError as error:
        log.warning("could not move secrets out of %s: %s", data_dir / SETTINGS_FILE, error)


def _build(data_dir: Path, values: dict[str, object]) -> Settings:
    def folder(name: str, fallback: str) -> Path:
        text = str(values[name])
        return Path(text).expanduser() if text else data_dir / fallback

    source = str(values["file_source"])
    backups = str(values["backup_dir"])
    typed: dict[str, object] = dict(values)
    typed.update(
        sequences_dir=folder("sequences_dir", "sequences"),
        results_dir=folder("results_dir", "results"),
        file_source=Path(source).expanduser() if source else None,
        backup_dir=Path(backups).expanduser() if backups else None,
        file_types=tuple(_strings(values["file_types"])),
        smtp_admin_emails=tuple(_strings(values["smtp_admin_emails"])),
        allowed_hosts=tuple(item.lower() for item in _strings(values["allowed_hosts"])),
        tls_certificate=_optional_path(values["tls_certificate"]),
        tls_key=_optional_path(values["tls_key"]),
    )
    names = {field.name for field in fields(Settings)} - {"data_dir", "from_command_line"}
    return Settings(data_dir=data_dir, **{name: typed[name] for name in names})  # type: ignore[arg-type]


def _optional_path(value: object) -> Path | None:
    return Path(str(value)).expanduser() if value else None


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
