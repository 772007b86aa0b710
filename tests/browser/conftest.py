"""Fixtures for the browser tests: the built client served on loopback, Debian's Chromium driven
by Playwright, and pages that refuse any request leaving 127.0.0.1 and record console errors."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    ViewportSize,
    sync_playwright,
)

REPOSITORY = Path(__file__).resolve().parents[2]
APP_DIR = REPOSITORY / "src" / "vidjil_local" / "static" / "app"
FIXTURES_DIR = REPOSITORY / "tests" / "data" / "vidjil"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# Fixture files are served beside the client, as the server will serve results.
DATA_PREFIX = "/data/"


class _Handler(SimpleHTTPRequestHandler):
    """Serves the built client, and the `.vidjil` fixtures under /data/."""

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if route.startswith(DATA_PREFIX):
            return str(FIXTURES_DIR / Path(route[len(DATA_PREFIX) :]).name)
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest shows failures, not every request."""


@pytest.fixture(scope="session")
def built_client() -> Path:
    """The client built by `npm run build`; the tests never build it themselves."""
    if not (APP_DIR / "index.html").is_file():
        pytest.fail(
            f"the built client is missing ({APP_DIR / 'index.html'}): "
            "run `cd frontend && npm ci && npm run build` before the browser tests"
        )
    return APP_DIR


@pytest.fixture(scope="session")
def client_url(built_client: Path) -> Iterator[str]:
    handler = partial(_Handler, directory=str(built_client))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium: missing is a skip locally, a failure when CI=true."""
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true: browser tests may not be skipped")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright, chromium_path: Path) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(
        executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@dataclass
class ClientPage:
    """A page of the client plus what it did wrong: console errors and blocked requests."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    def open(self, query: str = "") -> Page:
        self.page.goto(self.base_url + query)
        self.page.wait_for_selector(".toolbar .brand")
        return self.page

    def open_fixture(self, name: str) -> Page:
        page = self.open(f"?vidjil={DATA_PREFIX}{name}")
        page.wait_for_selector(".clone-list tbody tr")
        return page


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob"} or parts.hostname == "127.0.0.1"


@pytest.fixture
def client(browser: Browser, client_url: str) -> Iterator[ClientPage]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    checked = ClientPage(page=page, base_url=client_url)

    def guard(route: Route) -> None:
        if _is_loopback(route.request.url):
            route.continue_()
        else:
            checked.blocked_requests.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            checked.console_errors.append(message.text)

    page.route("**/*", guard)
    page.on("console", on_console)
    page.on("pageerror", lambda error: checked.console_errors.append(f"page error: {error}"))
    yield checked
    context.close()
    assert checked.blocked_requests == [], "the client tried to leave 127.0.0.1"
    assert checked.console_errors == [], "the browser console showed errors"
