"""One setting's declaration: its name, type, default, help and checks (`settings/table.py`
gathers them in the one table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

SettingType = Literal["int", "float", "bool", "str", "path", "list"]


@dataclass(frozen=True)
class Setting:
    name: str
    type: SettingType
    default: object
    help: str
    section: str
    secret: bool = False  # shown as "***", kept in the secret store (settings/secrets.py)
    restart: bool = False  # a change is taken into account only at the next start
    minimum: float | None = None
    choices: tuple[str, ...] = ()  # the values a "str" setting may take, when limited
    check: Callable[[object], str | None] | None = None  # the problem with a value, or None

    @property
    def env_name(self) -> str:
        return "VIDJIL_" + self.name.upper()


def declare(
    name: str,
    type_: SettingType,
    default: object,
    help_: str,
    section: str,
    **extra: object,
) -> Setting:
    return Setting(name, type_, default, help_, section, **extra)  # type: ignore[arg-type]


def crontab_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    from vidjil_local.settings.crontab import crontab_trigger

    try:
        crontab_trigger(value)
    except ValueError as error:
        return f"not a crontab line (minute hour day month weekday): {error}"
    return None
