"""The real app under uvicorn on a free loopback port, for tests that need real sockets:
browsers, concurrent requests, dropped connections."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from litestar import Litestar

from tests.waiting import wait_until


@contextmanager
def serving(app: Litestar) -> Iterator[str]:
    """Runs the real app under uvicorn on a free loopback port; yields its base URL."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()

    def started() -> bool:
        assert thread.is_alive(), "the app stopped while starting"
        return bool(server.started)

    wait_until(started, timeout=20, interval=0.05, what="the app did not start")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()
