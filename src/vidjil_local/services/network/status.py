"""What the admin pages show of the lab network: is the app open to it, at which address, and
the certificate users and worker machines check (its SHA-256 fingerprint)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from functools import cache

from vidjil_local.services.network import tls
from vidjil_local.services.network.listening import url
from vidjil_local.settings import Settings


@dataclass(frozen=True)
class NetworkStatus:
    network_access: bool
    url: str | None  # the HTTPS address colleagues type, when network_access is on
    certificate: tls.CertificateInfo | None
    problem: str  # why the certificate cannot be shown, for the admin


def network_status(settings: Settings, bound_port: int | None = None) -> NetworkStatus:
    """`bound_port`: the port the listener got (network_port 0 takes any free one: the page said
    https://name:0, and the worker command it gave could not connect)."""
    if not settings.network_access:
        return NetworkStatus(False, None, None, "")
    address = settings.network_address
    name = _this_computer() if address in ("", "0.0.0.0", "::") else address
    https = url("https", name, bound_port or settings.network_port)
    path, self_signed = tls.certificate_path(settings)
    try:
        return NetworkStatus(True, https, tls.describe(path, self_signed), "")
    except (OSError, ValueError) as error:
        return NetworkStatus(True, https, None, f"cannot read the certificate {path}: {error}")


@cache
def _this_computer() -> str:
    """This computer's full name, asked once: a slow resolver must not slow every page."""
    return socket.getfqdn()
