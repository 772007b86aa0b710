"""One setting's declaration: its name, type, default, help and checks (`settings/table.py`
gathers them in the one table)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

SettingType = Literal["int", "float", "bool", "str", "path", "list"]
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})
HIGHEST_PORT = 65535
HIGHEST_NICENESS = 19
DAY = 86_400
YEAR = 365 * DAY


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
    # numbers beyond any real use: saved, 10**20 workers or log megabytes hung the next start
    maximum: float | None = None
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


def port_problem(value: object) -> str | None:
    """A port the operating system cannot bind (checked when saved, not when the app starts)."""
    if isinstance(value, int) and value > HIGHEST_PORT:
        return f"{value} is above {HIGHEST_PORT}, the highest TCP port"
    return None


def server_address_problem(value: object) -> str | None:
    """An "address:port" whose port the system cannot use (it was taken modulo 65536: 99999 went
    to port 34463 and the e-mail page said 'connection refused')."""
    if not isinstance(value, str):
        return None
    host, _, port = value.strip().rpartition(":")
    if host and port.isdigit() and not 1 <= int(port) <= HIGHEST_PORT:
        return f"port {port} of {value!r} is not between 1 and {HIGHEST_PORT}"
    return None


def email_problem(value: object) -> str | None:
    """An e-mail setting (one address or a list) holding something no mail server takes: a typo
    here would only show as mail that never arrives."""
    addresses = [value] if isinstance(value, str) else value
    if not isinstance(addresses, list | tuple):
        return None
    for address in addresses:
        text = str(address).strip()
        local, at, domain = text.rpartition("@")
        if not text:
            continue
        if not (at and local and domain.strip(".")) or any(
            c.isspace() or c in ',;<>()[]\\"' for c in text
        ):
            return f"{text!r} is not an e-mail address (such as lab@hospital.org)"
    return None


def niceness_problem(value: object) -> str | None:
    if isinstance(value, int) and value > HIGHEST_NICENESS:
        return f"{value} is above {HIGHEST_NICENESS}, the lowest priority a process can take"
    return None


def percent_problem(value: object) -> str | None:
    if isinstance(value, int | float) and value > 100:
        return f"{value:g} is above 100 percent"
    return None


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def loopback_problem(value: object) -> str | None:
    """Plain HTTP beyond this computer would carry passwords and patient data in clear: the
    settings page refuses it when saved rather than the app at its next start."""
    if not isinstance(value, str) or is_loopback(value):
        return None
    return (
        f"vidjil-local does not serve plain HTTP on {value}: other computers could read the "
        "passwords and patient data on the way. Keep host = 127.0.0.1 and turn on "
        "network_access (settings page, Network) to serve the lab network over HTTPS"
    )
