"""The one table of settings: name, type, default and help of each.

Every setting the app knows is declared here once. `docs/settings.md` is checked against this
table by a test, the admin settings page and `vidjil-local settings show` are built from it, and
resolution (`settings/resolve.py`) goes defaults < `settings.toml` < `VIDJIL_*` environment <
command line.
"""

from __future__ import annotations

from vidjil_local.settings.setting import Setting, SettingType
from vidjil_local.settings.table_machine import MACHINE_SETTINGS
from vidjil_local.settings.table_operations import OPERATIONS_SETTINGS

__all__ = ["BY_NAME", "SETTINGS", "Setting", "SettingType"]

SETTINGS: tuple[Setting, ...] = (*MACHINE_SETTINGS, *OPERATIONS_SETTINGS)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
