"""The double-click start: one instance per data dir, a server with its workers, the browser.

A second launch finds the running instance, opens the browser on it with a fresh one-time login
URL, and exits.
"""

from __future__ import annotations

import logging
import webbrowser

from vidjil_local.db import Database
from vidjil_local.launcher.environment import give_outside_programs_the_system_libraries
from vidjil_local.launcher.instance import InstanceLock, read_running
from vidjil_local.launcher.server import run_server
from vidjil_local.log import configure_logging
from vidjil_local.services.accounts import login_tokens
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)


def login_url(settings: Settings, base_url: str) -> str:
    database = Database(settings.database_path)
    try:
        token = login_tokens.create(database)
    finally:
        database.close()
    return f"{base_url}/auth/launch?token={token}"


def open_in_browser(settings: Settings, base_url: str) -> None:
    url = login_url(settings, base_url)
    opened = settings.open_browser and _try_open(url)
    if not opened:
        print(f"Open this address in your browser to use vidjil-local: {url}", flush=True)
    else:
        print(f"vidjil-local is open in your browser ({base_url})", flush=True)


def _try_open(url: str) -> bool:
    give_outside_programs_the_system_libraries()
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False


def launch(settings: Settings) -> int:
    lock = InstanceLock(settings.data_dir)
    if not lock.acquire():
        running = read_running(settings.data_dir)
        if running is None:
            print("vidjil-local is starting in another window; try again in a moment.")
            return 1
        open_in_browser(settings, running.url)
        return 0
    configure_logging(settings)
    try:
        return run_server(settings, lock, on_ready=lambda url: open_in_browser(settings, url))
    finally:
        lock.release()


def serve(settings: Settings) -> int:
    lock = InstanceLock(settings.data_dir)
    lock.acquire_or_raise()
    configure_logging(settings)
    try:
        return run_server(settings, lock, on_ready=lambda url: _serving(settings, url))
    finally:
        lock.release()


def _serving(settings: Settings, url: str) -> None:
    print(f"vidjil-local serving on {url}", flush=True)
    running = read_running(settings.data_dir)
    if running is not None and running.network_url:
        print(f"and for the lab network on {running.network_url} (HTTPS)", flush=True)
