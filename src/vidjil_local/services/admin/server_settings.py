"""The settings as the admin page shows and changes them.

A change is validated by the settings table, written to `settings.toml` in the data dir, and
applied at once unless the setting says it needs a restart. A setting pinned by a `VIDJIL_*`
environment variable is refused: the environment wins over the file, so the change would be lost.
Secret values are never returned nor audited.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import msgspec

from vidjil_local.db import Database
from vidjil_local.errors import Conflict, NotFound, SettingError
from vidjil_local.services import audit, mail
from vidjil_local.settings import (
    BY_NAME,
    SETTINGS,
    Setting,
    Settings,
    display_value,
    parse_value,
    resolve_settings,
    secrets_of,
    write_setting,
)
from vidjil_local.settings.resolve import read_settings_file

SettingInput = str | int | float | bool | list[str]
_changing = threading.Lock()


class SettingView(msgspec.Struct):
    name: str
    section: str
    type: str
    help: str
    default: str
    value: str  # the value in use; "***" for a secret that is set
    set: bool  # whether the value in use is not empty
    source: str  # "default", "file", "environment", "command line" or "secret store"
    restart: bool  # a change is taken into account at the next start only
    pending_restart: bool  # the stored value differs from the one in use until a restart
    secret: bool
    minimum: float | None
    env_name: str


@dataclass(frozen=True)
class Change:
    view: SettingView
    settings: Settings  # what the app uses from now on
    restart_required: bool


class SecretStoreView(msgspec.Struct):
    kind: str  # "keyring" or "file"
    backend: str
    location: str
    reason: str


def secret_store_view(current: Settings) -> SecretStoreView:
    """Where the secret settings are kept, for the settings page."""
    info = secrets_of(current).info
    return SecretStoreView(info.kind, info.backend, info.location, info.reason)


def needs_restart(setting: Setting) -> bool:
    return setting.restart


def source_of(
    setting: Setting, environ: Mapping[str, str], stored: Mapping[str, object], current: Settings
) -> str:
    if setting.name in current.from_command_line:
        return "command line"
    if setting.env_name in environ:
        return "environment"
    if setting.secret:
        return "secret store" if getattr(current, setting.name) else "default"
    return "file" if setting.name in stored else "default"


def list_settings(current: Settings, environ: Mapping[str, str]) -> list[SettingView]:
    stored = read_settings_file(current.data_dir)
    wanted = resolve_settings(current.data_dir, environ)
    return [_view(setting, current, wanted, environ, stored) for setting in SETTINGS]


def _view(
    setting: Setting,
    current: Settings,
    wanted: Settings,
    environ: Mapping[str, str],
    stored: Mapping[str, object],
) -> SettingView:
    value = display_value(current, setting)
    return SettingView(
        name=setting.name,
        section=setting.section,
        type=setting.type,
        help=setting.help,
        default="" if setting.secret else _default_text(setting),
        value=value,
        set=value != "",
        source=source_of(setting, environ, stored, current),
        restart=needs_restart(setting),
        pending_restart=needs_restart(setting)
        and setting.name not in current.from_command_line  # it wins at the next start too
        and getattr(current, setting.name) != getattr(wanted, setting.name),
        secret=setting.secret,
        minimum=setting.minimum,
        env_name=setting.env_name,
    )


def _default_text(setting: Setting) -> str:
    return _as_text(setting.default)  # type: ignore[arg-type]


def _as_text(value: SettingInput | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(value)
    return str(value)


class SettingsHolder(Protocol):
    """What holds the settings a running app uses (the API's AppContext)."""

    @property
    def settings(self) -> Settings: ...

    def replace_settings(self, settings: Settings) -> None: ...


def change(
    database: Database,
    actor: audit.Actor,
    holder: SettingsHolder,
    environ: Mapping[str, str],
    name: str,
    value: SettingInput,
) -> Change:
    """Store one setting and apply it to `holder` unless it needs a restart."""
    setting = _changeable(name, value, environ)
    with _changing:  # read-modify-write of the file and of the app's settings: one at a time
        _keep_logins_possible(holder.settings, setting, value)
        data_dir = holder.settings.data_dir
        write_setting(data_dir, name, _as_text(value), environ)
        fresh = resolve_settings(data_dir, environ)
        if not needs_restart(setting):
            holder.replace_settings(holder.settings.with_values(**{name: getattr(fresh, name)}))
        applied = holder.settings
    audit.record_now(
        database, actor, "change_setting", table_name="settings",
        setting=name, restart_required=needs_restart(setting),
    )  # fmt: skip
    view = _view(setting, applied, fresh, environ, read_settings_file(data_dir))
    return Change(view, applied, needs_restart(setting))


TWO_FACTOR_NEEDS = ("two_factor_required", "smtp_server", "smtp_from_email")


def _keep_logins_possible(current: Settings, setting: Setting, value: SettingInput) -> None:
    """Two-factor login e-mails its codes: turned on without e-mail set up (or e-mail taken away
    while it is on), every password login answered 503 until someone ran the command line."""
    if setting.name not in TWO_FACTOR_NEEDS:
        return
    after = current.with_values(**{setting.name: parse_value(setting, value)})
    if after.two_factor_required and not mail.configured(after):
        raise SettingError(
            f"setting {setting.name}: two-factor login sends its codes by e-mail, so it needs "
            "smtp_server and smtp_from_email: set them first (and turn two_factor_required off "
            "before taking them away)",
            setting=setting.name,
        )


def _changeable(name: str, value: SettingInput, environ: Mapping[str, str]) -> Setting:
    if name not in BY_NAME:
        raise NotFound(f"no setting {name!r}", setting=name)
    setting = BY_NAME[name]
    if setting.env_name in environ:
        raise Conflict(
            f"{name} is set by the environment variable {setting.env_name}, which wins over "
            "the settings file: change or remove that variable instead",
            setting=name,
            env_name=setting.env_name,
        )
    if setting.type in ("str", "path") and not isinstance(value, str):
        raise SettingError(f"setting {name}: expected text, got {value!r}", setting=name)
    return setting
