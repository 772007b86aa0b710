"""Where the app listens: plain HTTP on loopback only, HTTPS for the lab network.

The `host` listener serves this computer's browser (the desktop launch, `serve`) and must be a
loopback address: a plain-HTTP server on a network address would send passwords and patient data
in clear, so it is refused with a message saying what to set instead. With `network_access`, a
second listener serves the lab's other computers over HTTPS only, on `network_address` and
`network_port` (`launcher/server.py` runs both).
"""

from __future__ import annotations

from dataclasses import dataclass

from vidjil_local.errors import UsageError
from vidjil_local.settings import Settings
from vidjil_local.settings.setting import is_loopback, loopback_problem

__all__ = ["Listeners", "is_loopback", "listeners"]


@dataclass(frozen=True)
class Listeners:
    local_host: str
    local_port: int
    network: tuple[str, int] | None  # (address, port) of the HTTPS listener


def listeners(settings: Settings) -> Listeners:
    """The listeners the settings ask for; a UsageError for plain HTTP beyond loopback."""
    problem = loopback_problem(settings.host)
    if problem:
        raise UsageError(problem, host=settings.host)
    network = None
    if settings.network_access:
        if settings.network_port and settings.network_port == settings.port:
            raise UsageError(
                f"network_port and port are both {settings.port}: the HTTPS listener for the "
                "lab network needs a port of its own"
            )
        network = (settings.network_address or "0.0.0.0", settings.network_port)
    return Listeners(settings.host, settings.port, network)


def url(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"
