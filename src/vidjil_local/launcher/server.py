"""Run the web server in this process: uvicorn given the app object, on a socket bound here.

Binding the socket ourselves gives a free port without a race, and lets the launcher know the URL
before the server answers. `loop="asyncio"` avoids uvloop (no Windows wheels). HTTP is parsed by
httptools (C; wheels for every desktop system) when it is there: h11, pure Python, copies every
body byte through its buffer and spent most of a 1 GB upload's server CPU doing it
(benchmarks/bench_upload.py); h11 stays the fallback.

Every way to stop is the same clean stop (running jobs stopped and queued again, database closed,
exit status 0): Ctrl-C, SIGTERM (a service manager, the OS shutting down), SIGHUP (the desktop
session ends), and the administrator's Quit (`POST /api/admin/quit`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import signal
import socket
import threading
from collections.abc import Callable, Iterator

import uvicorn

from vidjil_local.api.app import create_app
from vidjil_local.api.quit import set_quit_action
from vidjil_local.launcher.instance import InstanceLock
from vidjil_local.log import log_folder
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

    def request_stop(self) -> None:
        self.should_exit = True


def run_server(
    settings: Settings,
    lock: InstanceLock,
    on_ready: Callable[[str], None] | None = None,
) -> int:
    """Serve until a stop (see the module's doc); call `on_ready(url)` once the server answers."""
    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    lock.publish(settings.host, port)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        loop="asyncio",
        http=http_parser(),
        lifespan="on",
        log_level=settings.log_level,
        log_config=None,  # uvicorn's records go to our handlers (logs/vidjil-local.log)
        access_log=False,  # logs/requests.log has them, with the user and without tokens
        timeout_graceful_shutdown=10,
    )
    server = AppServer(config)
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


def _when_started(server: uvicorn.Server, url: str, on_ready: Callable[[str], None]) -> None:
    event = threading.Event()
    while not server.started and not server.should_exit:
        event.wait(0.05)
    if server.started:
        on_ready(url)
