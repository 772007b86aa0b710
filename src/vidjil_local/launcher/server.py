"""Run the web server in this process: uvicorn given the app object, on a socket bound here.

Binding the socket ourselves gives a free port without a race, and lets the launcher know the URL
before the server answers. `loop="asyncio", http="h11"` avoid uvloop/httptools (no Windows wheels,
smaller bundle).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable

import uvicorn

from vidjil_local.api.app import create_app
from vidjil_local.launcher.instance import InstanceLock
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on TCP sockets, and without it every
    # keep-alive request after the first waits ~40 ms for delayed ACKs
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        from vidjil_local.errors import UsageError

        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(128)
    return sock


def run_server(
    settings: Settings,
    lock: InstanceLock,
    on_ready: Callable[[str], None] | None = None,
) -> int:
    """Serve until SIGINT/SIGTERM; call `on_ready(url)` once the server answers."""
    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    lock.publish(settings.host, port)
    config = uvicorn.Config(
        create_app(settings),
        loop="asyncio",
        http="h11",
        lifespan="on",
        log_level=settings.log_level,
        access_log=settings.log_level == "debug",
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    if on_ready is not None:
        threading.Thread(target=_when_started, args=(server, url, on_ready), daemon=True).start()
    log.info("vidjil-local serving on %s (data dir %s)", url, settings.data_dir)
    server.run(sockets=[sock])
    return 0 if server.started else 1


def _when_started(server: uvicorn.Server, url: str, on_ready: Callable[[str], None]) -> None:
    event = threading.Event()
    while not server.started and not server.should_exit:
        event.wait(0.05)
    if server.started:
        on_ready(url)
