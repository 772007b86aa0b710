"""What every request passes before routing, and what every answer carries.

- **Host.** Only the names this server answers to: the loopback names with the port it listens
  on, its listening address, and the `allowed_hosts` setting; with `network_access`, also the
  names of the HTTPS listener's certificate (this computer's names, `network_address`,
  `tls.wanted_names`) and the IP address a request came in on, with that listener's port.
  Without this check a web page whose name an attacker points at 127.0.0.1 (DNS rebinding)
  could drive the app from the user's browser, e.g. create the first administrator of a fresh
  install.
- **Path.** No NUL character (file systems refuse it, and it would end a name early).
- **JSON bodies.** At most `MAX_JSON_DEPTH` levels deep, measured before decoding
  (`CheckedRequest`); their size is bounded by each route's `request_max_body_size`.
- **Headers.** A content security policy without inline script, no framing, no MIME sniffing,
  no referrer, on every answer (`security_headers`, a `before_send` hook).
"""

from __future__ import annotations

import functools
import ipaddress
import json
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
    WebSocketCloseEvent,
)

from vidjil_local.api.context import AppContext
from vidjil_local.api.errors import error_body
from vidjil_local.errors import UsageError
from vidjil_local.results.json_depth import MAX_JSON_DEPTH, nests_deeper_than
from vidjil_local.services.network import tls
from vidjil_local.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::", "[::]"})
DECISIONS_KEPT = 256  # Host decisions remembered (see EdgeGuard)
# Styles may be inline: the plots carry <style> elements so that an exported SVG keeps its
# look, and a style cannot run code. Scripts come only from this server's files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class CheckedRequest(Request[Any, Any, Any]):
    """A request whose JSON body is measured before it is decoded: Python's and msgspec's
    decoders recurse once per level and fail past about a thousand."""

    async def json(self) -> Any:
        if nests_deeper_than(await self.body(), MAX_JSON_DEPTH):
            raise UsageError(f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
        return await super().json()


def split_host(host: str) -> tuple[str, int | None]:
    """("name", port) of a Host header value: `[::1]:8080` -> ("[::1]", 8080)."""
    host = host.strip().lower()
    name, colon, port = host.rpartition(":")
    if not colon or name.endswith(":") or (host.startswith("[") and not name.endswith("]")):
        return host.rstrip("."), None  # no port (an IPv6 literal's colons are inside brackets)
    return name.rstrip("."), int(port) if port.isdigit() and len(port) <= 5 else -1


def host_allowed(
    host: str,
    server_port: int | None,
    listening: str,
    configured: tuple[str, ...],
    own_names: frozenset[str] = frozenset(),
    default_port: int = 80,
) -> bool:
    """Whether a request naming `host` is for this server (see the module docstring):
    `own_names` are the names the server itself answers to on the port the request came in on
    (the certificate's names, the address of the socket), `default_port` that of its scheme."""
    name, port = split_host(host)
    if port == -1 or not name:
        return False
    if (
        name in LOOPBACK_NAMES
        or name in own_names
        or (name == listening.lower() and name not in WILDCARD_ADDRESSES)
    ):
        return (port or default_port) == server_port
    for entry in configured:
        allowed_name, allowed_port = split_host(entry)
        if name == allowed_name and allowed_port in (None, port):
            return True
    return False


class EdgeGuard:
    """Wraps the app's ASGI handler: refuses requests for other hosts and NUL paths before
    routing, so unknown routes and static files are covered too."""

    def __init__(self, app: ASGIApp, context: AppContext) -> None:
        self.app = app
        self.context = context
        self.network_names = network_names(context.settings)  # once: names may need DNS
        # (Host, server address, scheme, host setting, allowed_hosts) -> allowed: a browser
        # sends the same few; checking one again was 3% of a light request
        self._decided: dict[tuple[Any, ...], bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # the lifespan
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is None and scope["type"] == ScopeType.HTTP:
            database = self.context.database
            database.requests_reads(starting=True)
            try:
                await self.app(scope, receive, send)
            finally:
                database.requests_reads(starting=False)
        elif refusal is None:
            await self.app(scope, receive, send)
        elif scope["type"] == ScopeType.WEBSOCKET:  # none are served; refused before handshake
            close: WebSocketCloseEvent = {"type": "websocket.close", "code": 1008, "reason": None}
            await send(close)
        else:
            await _send_refusal(send, *refusal)

    def _refusal(self, scope: Scope) -> tuple[str, str] | None:
        if "\x00" in scope["path"]:
            return "bad_path", "a path may not hold a NUL character"
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        server = scope.get("server")
        settings = self.context.settings
        key = (host, server, scope.get("scheme"), settings.host, settings.allowed_hosts)
        allowed = self._decided.get(key)
        if allowed is None:
            allowed = self._host_allowed(host.decode("latin-1"), server, key[2])
            if len(self._decided) >= DECISIONS_KEPT:  # made-up Host values cannot fill memory
                self._decided.clear()
            self._decided[key] = allowed
        if allowed:
            return None
        return "bad_host", (
            f"this server does not answer to the name {host.decode('latin-1')[:100]!r}: use "
            "localhost, or ask the administrator to add the name to the allowed_hosts setting"
        )

    def _host_allowed(self, host: str, server: Any, scheme: Any) -> bool:
        port = int(server[1]) if server and server[1] is not None else None
        settings = self.context.settings
        own = self.network_names | _ip_literal(server[0] if server else None)
        default_port = 443 if scheme in ("https", "wss") else 80
        return host_allowed(host, port, settings.host, settings.allowed_hosts, own, default_port)


def network_names(settings: Settings) -> frozenset[str]:
    """With `network_access`, the names the HTTPS listener's certificate holds (this
    computer's names, `network_address`), as a Host header writes them."""
    if not settings.network_access:
        return frozenset()
    return frozenset(_as_host(name) for name in tls.wanted_names(settings))


@functools.lru_cache(maxsize=64)  # the few addresses the server listens on
def _ip_literal(address: str | None) -> frozenset[str]:
    """The address a request came in on, when it is an IP address (a colleague typing the
    server's address; a page of another site cannot make a browser send it as Host)."""
    if not address:
        return frozenset()
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return frozenset()
    return frozenset({_as_host(address)})


def _as_host(name: str) -> str:
    name = name.lower()
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


async def _send_refusal(send: Send, code: str, message: str) -> None:
    body = json.dumps(error_body(400, code, message, {})).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 400,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)


async def security_headers(message: Message, scope: Scope) -> None:
    """Add the security headers to the start of every answer (a route may set its own)."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    present = {name.lower() for name, _ in headers}
    headers.extend(header for header in SECURITY_HEADERS if header[0] not in present)
    message["headers"] = headers
