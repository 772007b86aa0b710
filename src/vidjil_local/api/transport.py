"""What an answer over HTTPS carries: cookies marked Secure, and HSTS.

The same app answers this computer's browser over plain HTTP on loopback and the lab network
over HTTPS (`launcher/server.py`). On HTTPS every cookie (session, CSRF) gets `Secure`, so a
browser never sends it over plain HTTP, and `Strict-Transport-Security` tells browsers to use
HTTPS for this name from then on. HSTS is left out for loopback names: it binds a host name
whatever the port, and would turn the desktop's plain-HTTP address away.
"""

from __future__ import annotations

from litestar.types import Message, Scope

HSTS = (b"strict-transport-security", b"max-age=31536000")
LOOPBACK_NAMES = (b"localhost", b"127.0.0.1", b"[::1]")


async def https_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("scheme") != "https":
        return
    headers = [
        (name, _secure(value) if name.lower() == b"set-cookie" else value)
        for name, value in message.get("headers") or []
    ]
    if not _loopback(scope):
        headers.append(HSTS)
    message["headers"] = headers


def _secure(cookie: bytes) -> bytes:
    attributes = [part.strip().lower() for part in cookie.split(b";")[1:]]
    return cookie if b"secure" in attributes else cookie + b"; Secure"


def _loopback(scope: Scope) -> bool:
    host = dict(scope.get("headers") or []).get(b"host", b"").lower()
    name = host.rsplit(b":", 1)[0] if not host.startswith(b"[") else host.split(b"]")[0] + b"]"
    return name in LOOPBACK_NAMES
