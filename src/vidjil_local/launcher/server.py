"""Run the web server in this process: uvicorn given the app object, on a socket bound here.

Binding the socket ourselves gives a free port without a race, and lets the launcher know the URL
before the server answers. `loop="asyncio"` avoids uvloop (no Windows wheels). HTTP is parsed by
httptools (C; wheels for every desktop system) when it is there: h11, pure Python, copies every
body byte through its buffer and spent most of a 1 GB upload's server CPU doing it
(benchmarks/bench_upload.py); h11 stays the fallback.

Every way to stop is the same clean stop (running jobs stopped and queued again, database closed,
exit status 0): Ctrl-C, SIGTERM (a service manager, the OS shutting down), SIGHUP (the desktop
session ends), and the administrator's Quit (`POST /api/admin/quit`).

With `network_access`, a second uvicorn server in the same event loop serves the same app over
HTTPS on the lab network (`services/network/listening.py`): it starts once the app has started
(migrations applied) and stops before the app shuts down. The loopback listener stays plain HTTP
for this computer's browser, which a self-signed certificate would only alarm.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import importlib.util
import logging
import signal
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from vidjil_local.api.app import create_app
from vidjil_local.api.quit import set_quit_action
from vidjil_local.errors import UsageError
from vidjil_local.launcher.instance import InstanceLock
from vidjil_local.log import log_folder
from vidjil_local.services.network import listening, tls
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def bind(host: str, port: int, setting: str = "port") -> socket.socket:
    """A listening socket; a UsageError saying what to change when the port is taken (`setting`
    names the setting that chose it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on TCP sockets, and without it every
    # keep-alive request after the first waits ~40 ms for delayed ACKs
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        advice = ""
        if error.errno == errno.EADDRINUSE:
            advice = (
                f": another program uses this port. Stop it, or choose another {setting} "
                f"(0 picks a free port at each start)"
            )
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}{advice}") from None
    sock.listen(128)
    return sock


STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
    if hasattr(signal, name)
)


class AppServer(uvicorn.Server):
    """uvicorn's server, also stopped by SIGHUP, and exiting normally after a stop by signal.

    uvicorn re-raises the signal once it has shut down, which would end the process before the
    launcher releases its instance lock and with a status that says "killed".
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    network: tuple[uvicorn.Server, socket.socket] | None = None
    _network_task: asyncio.Task[None] | None = None

    def request_stop(self) -> None:
        self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.network is None or self.should_exit:
            return
        server, sock = self.network
        self._network_task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not self._network_task.done():
            await asyncio.sleep(0.02)
        if not server.started:
            log.error("the HTTPS listener for the lab network did not start")
            self.should_exit = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.network is not None and self._network_task is not None:
            self.network[0].should_exit = True
            await self._network_task
        await super().shutdown(sockets)


class NetworkServer(uvicorn.Server):
    """The HTTPS listener: the main server owns the signals and the app's start and stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def run_server(
    settings: Settings,
    lock: InstanceLock,
    on_ready: Callable[[str], None] | None = None,
) -> int:
    """Serve until a stop (see the module's doc); call `on_ready(url)` once the server answers."""
    places = listening.listeners(settings)
    sock = bind(places.local_host, places.local_port)
    host, port = sock.getsockname()[:2]
    url = listening.url("http", host, port)
    network = _network_listener(settings, places.network) if places.network else None
    lock.publish(settings.host, port, network[2] if network else None)
    app = create_app(settings, network_port=network[0].getsockname()[1] if network else None)
    config = uvicorn.Config(app, lifespan="on", **_common(settings))
    server = AppServer(config)
    if network is not None:
        https = uvicorn.Config(app, lifespan="off", **_common(settings), **network[1])
        https.load()
        assert https.ssl is not None
        https.ssl.minimum_version = ssl.TLSVersion.TLSv1_2
        server.network = (NetworkServer(https), network[0])
    set_quit_action(app, server.request_stop)
    if on_ready is not None:
        threading.Thread(target=_when_started, args=(server, url, on_ready), daemon=True).start()
    log.info(
        "vidjil-local serving on %s (data dir %s, logs in %s)",
        url, settings.data_dir, log_folder(settings.data_dir),
    )  # fmt: skip
    server.run(sockets=[sock])
    return 0 if server.started else 1


def http_parser() -> str:
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def _common(settings: Settings) -> dict[str, Any]:
    return {
        "loop": "asyncio",
        "http": http_parser(),
        "log_level": settings.log_level,
        "log_config": None,  # uvicorn's records go to our handlers (logs/vidjil-local.log)
        "access_log": False,  # logs/requests.log has them, with the user and without tokens
        # no proxy stands in front of the app: X-Forwarded-For from a local process must not
        # change the client address of the audit trail and of login throttling
        "proxy_headers": False,
        "server_header": False,  # no "server: uvicorn": nothing tells a stranger what runs here
        "timeout_graceful_shutdown": 10,
    }


def _network_listener(
    settings: Settings, address: tuple[str, int]
) -> tuple[socket.socket, dict[str, Any], str]:
    """The HTTPS socket, uvicorn's TLS options and the listener's URL (certificate checked or
    made first: a bad certificate stops the start with a clear message)."""
    files = tls.server_tls(settings)
    info = tls.describe(files.certificate, files.self_signed)
    sock = bind(*address, setting="network_port")
    network_url = listening.url("https", address[0], sock.getsockname()[1])
    log.info(
        "serving the lab network on %s (certificate SHA-256 %s)",
        network_url,
        info.fingerprint_sha256,
    )
    options = {
        "ssl_certfile": str(files.certificate),
        "ssl_keyfile": str(files.key),
        "ssl_keyfile_password": files.password or None,
    }
    return sock, options, network_url


def _when_started(server: uvicorn.Server, url: str, on_ready: Callable[[str], None]) -> None:
    event = threading.Event()
    while not server.started and not server.should_exit:
        event.wait(0.05)
    if server.started:
        on_ready(url)
