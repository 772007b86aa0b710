"""Settings: one declarative table, resolved into a frozen object passed explicitly."""

from vidjil_local.settings.resolve import (
    SETTINGS_FILE,
    Settings,
    available_cpus,
    display_value,
    lookup,
    parse_value,
    resolve_settings,
    secrets_of,
    write_setting,
)
from vidjil_local.settings.secrets import SecretStore, StoreInfo
from vidjil_local.settings.table import BY_NAME, SETTINGS, Setting

__all__ = [
    "BY_NAME",
    "SETTINGS",
    "SETTINGS_FILE",
    "SecretStore",
    "Setting",
    "Settings",
    "StoreInfo",
    "available_cpus",
    "display_value",
    "lookup",
    "parse_value",
    "resolve_settings",
    "secrets_of",
    "write_setting",
]
