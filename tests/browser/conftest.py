"""Fixtures for the browser tests: the built client served on loopback, Debian's Chromium driven
by Playwright, and pages that refuse any request leaving 127.0.0.1 and record console errors."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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

from vidjil_local.germline import load_germline

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


@dataclass
class FakeSetApi:
    """What the fake server saw: the analyses the client POSTed, with their CSRF header."""

    saved: list[tuple[str, dict[str, object]]] = field(default_factory=list)


FAKE_SET = 7
FAKE_CONFIG = 2
CSRF_TOKEN = "token-for-tests"
# The calls of the real API the fake answers, (method, path) by operation id: test_api_contract
# checks them against the real app's schema and against what the results viewer calls.
FAKE_OPERATIONS = {
    "getFusedResult": ("GET", "/api/sample-sets/{set_id}/results"),
    "getAnalysis": ("GET", "/api/sample-sets/{set_id}/analysis"),
    "saveAnalysis": ("POST", "/api/sample-sets/{set_id}/analysis"),
    "getSampleSet": ("GET", "/api/sample-sets/{set_id}"),
    "getConfig": ("GET", "/api/configs/{config_id}"),
    "getGermlineGenes": ("GET", "/api/germlines/{name}/genes"),
    "listSetSamples": ("GET", "/api/sample-sets/{set_id}/samples"),
    "listSampleSetAudit": ("GET", "/api/sample-sets/{set_id}/audit"),
}
# The set as a user without the anon right sees it: a pseudonym, not the patient's name.
FAKE_PATIENT = {"id": FAKE_SET, "kind": "patient", "name": "Dur (61 y)", "id_label": "P042"}
FAKE_CONFIG_NAME = "multi-locus"


def fake_path(operation: str) -> str:
    path = FAKE_OPERATIONS[operation][1]
    return path.format(set_id=FAKE_SET, config_id=FAKE_CONFIG, name="human")


def germline_genes(names: list[str]) -> dict[str, str]:
    """What the real route answers: the bundled set's sequences of these genes."""
    loaded = load_germline("human").germline_set
    return {
        gene.name: gene.sequence
        for locus in loaded.loci
        for gene in (*locus.v_genes, *locus.d_genes, *locus.j_genes)
        if gene.name in names
    }


class _FakeSetApiHandler(_Handler):
    """Answers the result calls of the real API (`FAKE_OPERATIONS`) for one set, as its
    OpenAPI schema says: paths, JSON error envelope, CSRF cookie echoed in x-csrftoken."""

    recorder: FakeSetApi

    def _send_json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == fake_path("getFusedResult") and parts.query == f"config_id={FAKE_CONFIG}":
            document = json.loads((FIXTURES_DIR / "two-samples-mrd.vidjil").read_text())
            self._send_json(200, document, {"Set-Cookie": f"csrftoken={CSRF_TOKEN}; Path=/"})
        elif parts.path == fake_path("getAnalysis"):
            saved = self.recorder.saved
            self._send_json(200, saved[-1][1] if saved else {"clones": [], "clusters": []})
        elif parts.path == fake_path("getSampleSet"):
            self._send_json(200, FAKE_PATIENT)
        elif parts.path == fake_path("getConfig"):
            config = {"id": FAKE_CONFIG, "name": FAKE_CONFIG_NAME, "germline": "human"}
            self._send_json(200, config)
        elif parts.path == fake_path("getGermlineGenes"):
            wanted = parse_qs(parts.query).get("genes", [""])[0].split(",")
            self._send_json(200, {"germline": "human", "genes": germline_genes(wanted)})
        elif parts.path == fake_path("listSetSamples"):
            self._send_json(200, [])  # no metadata recorded: the report shows the .vidjil's own
        elif parts.path == fake_path("listSampleSetAudit"):
            self._send_json(200, {"items": [], "total": 0})
        elif parts.path.startswith("/api/"):
            error = {"code": "not_found", "message": "no such set", "details": {}}
            self._send_json(404, {"error": error, "status": 404})
        else:
            super().do_GET()

    def do_POST(self) -> None:
        if urlsplit(self.path).path != fake_path("saveAnalysis"):
            self._send_json(404, {"error": {"code": "not_found", "message": "no route"}})
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        token = self.headers.get("x-csrftoken", "")
        self.recorder.saved.append((token, body))
        version = {"version": len(self.recorder.saved), "sample_set_id": FAKE_SET}
        self._send_json(201, {**version, "saved_by": 1, "saved_at": "2026-03-03 10:00:00"})


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


@pytest.fixture
def fake_set_api(built_client: Path) -> Iterator[tuple[str, FakeSetApi]]:
    """A loopback server with the client and a fake of the set-results API (one per test)."""
    recorder = FakeSetApi()
    handler_class = type("Handler", (_FakeSetApiHandler,), {"recorder": recorder})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler_class, directory=str(built_client))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", recorder
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

    def open(self, address: str = "#/viewer") -> Page:
        """The results viewer: empty by default, or what a link's query (`?vidjil=`, `?set=`)
        names, opened at the app's address as such links are."""
        self.page.goto(self.base_url + address)
        self.page.wait_for_selector(".toolbar .brand")
        return self.page

    def open_fixture(self, name: str) -> Page:
        page = self.open(f"?vidjil={DATA_PREFIX}{name}")
        page.wait_for_selector(".clone-list tbody tr[data-id]")
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
