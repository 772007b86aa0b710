"""The log files on the admin page: listed, read (last lines, search), downloaded (audited), for
administrators only; every request is a line of the request log with its user and address."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from vidjil_local.log import REQUEST_LOGGER, configure_logging
from vidjil_local.settings import Settings


@pytest.fixture
def logging_to_files(settings: Settings) -> Iterator[None]:
    configure_logging(settings, console=False)
    yield
    for logger in (logging.getLogger(), logging.getLogger(REQUEST_LOGGER)):
        for handler in list(logger.handlers):
            if getattr(handler, "_vidjil_local_handler", False):
                logger.removeHandler(handler)
                handler.close()
    logging.getLogger().setLevel(logging.WARNING)


def test_requests_are_logged_with_user_and_address(
    logging_to_files: None, lab: Lab, admin_api: Api
) -> None:
    admin_api.get("/api/sample-sets", params={"limit": 5})
    lines = admin_api.get("/api/admin/logs/requests.log", params={"search": "sample-sets"})
    assert lines.status_code == 200, lines.text
    [line] = lines.json()["lines"]
    assert f"testclient {ADMIN['email']} GET /api/sample-sets?limit=5 200 " in line
    setup = admin_api.get("/api/admin/logs/requests.log", params={"search": "/api/auth/setup"})
    assert f"{ADMIN['email']} POST /api/auth/setup 201" in setup.json()["lines"][0]
    anonymous = Api(local_client(lab.app))
    anonymous.get("/api/health")
    health = admin_api.get("/api/admin/logs/requests.log", params={"search": "/api/health"})
    assert " - GET /api/health 200 " in health.json()["lines"][-1]


def test_a_request_refused_by_a_middleware_is_logged_with_its_status(
    logging_to_files: None, admin_api: Api
) -> None:
    """A POST without its CSRF header is answered 403 from outside the request log: the line
    said 500 (false server errors on the Logs page whenever a web page posted to the app)."""
    refused = admin_api.client.post("/api/auth/logout")  # no x-csrftoken header
    assert refused.status_code == 403, refused.text
    lines = admin_api.get("/api/admin/logs/requests.log", params={"search": "/api/auth/logout"})
    [line] = lines.json()["lines"]
    assert f"{ADMIN['email']} POST /api/auth/logout 403 " in line


def test_logs_are_listed_read_and_downloaded(logging_to_files: None, admin_api: Api) -> None:
    logging.getLogger("vidjil_local.test").warning("disk nearly full")
    listed = admin_api.get("/api/admin/logs").json()
    assert {(entry["name"], entry["kind"]) for entry in listed} == {
        ("vidjil-local.log", "app"),
        ("requests.log", "requests"),
    }
    app_log = admin_api.get("/api/admin/logs/vidjil-local.log", params={"limit": 1}).json()
    assert app_log["lines"][-1].endswith("WARNING vidjil_local.test: disk nearly full")
    download = admin_api.get("/api/admin/logs/vidjil-local.log/download")
    assert download.status_code == 200 and "disk nearly full" in download.text
    assert "attachment" in download.headers["content-disposition"]
    [entry] = admin_api.get("/api/audit", params={"action": "download_log"}).json()["items"]
    assert entry["details"] == {"file": "vidjil-local.log"}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/admin/logs/settings.toml", 404),
        ("/api/admin/logs/..%2Fsettings.toml", 404),
        ("/api/admin/logs/requests.log.0", 404),
        ("/api/admin/logs/requests.log?limit=0", 400),
        ("/api/admin/logs/requests.log?limit=100000", 400),
    ],
)
def test_only_the_logs_are_served(
    logging_to_files: None, admin_api: Api, url: str, status: int
) -> None:
    answer = admin_api.get(url)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] in ("not_found", "invalid", "usage")


def test_logs_are_for_administrators_only(
    logging_to_files: None, app: Litestar, lab: Lab, admin_api: Api
) -> None:
    member = lab.user("ivy@lab.example", lab.group("lab", ("read", "upload", "run", "admin")))
    anonymous = Api(local_client(app))
    for url in (
        "/api/admin/logs",
        "/api/admin/logs/requests.log",
        "/api/admin/logs/requests.log/download",
    ):
        assert member.get(url).status_code == 403
        assert anonymous.get(url).status_code == 401
