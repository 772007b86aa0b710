"""The web app through Litestar's test client, on a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import local_client
from vidjil_local.api.app import create_app
from vidjil_local.core import is_compiled
from vidjil_local.services.accounts import login_tokens, logins
from vidjil_local.settings import Settings


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with local_client(app) as client:
        yield client


def assert_envelope(body: dict[str, Any], status: int, code: str) -> None:
    assert body["status"] == status
    assert set(body) == {"error", "status"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_health(client: TestClient[Litestar]) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["core"] == ("compiled" if is_compiled() else "interpreted")
    assert body["workers"] == 1 and body["broker"] == "stub"
    assert body["queue"] == {"queued": 0, "running": 0}
    assert body["schema_version"] >= 2
    assert body["problems"] == []


def test_health_is_degraded_while_the_data_disk_refuses_uploads(settings: Settings) -> None:
    # every real disk holding files has less than 100% free: uploads are refused, and the health
    # (read by monitoring tools and the Server status page) said "ok"
    with local_client(create_app(settings.with_values(min_free_disk_percent=100.0))) as client:
        body = client.get("/api/health").json()
    assert body["status"] == "degraded"
    [problem] = body["problems"]
    assert problem.startswith("uploads and analyses are refused: the data disk is nearly full")
    assert "100% must stay free" in problem


def test_unknown_route_uses_the_error_envelope(client: TestClient[Litestar]) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert_envelope(response.json(), 404, "not_found")


def test_wrong_method_uses_the_error_envelope(client: TestClient[Litestar]) -> None:
    response = client.delete("/api/health")
    assert response.status_code == 405
    assert_envelope(response.json(), 405, "method_not_allowed")


def test_missing_query_parameter_uses_the_error_envelope(client: TestClient[Litestar]) -> None:
    response = client.get("/auth/launch")
    assert response.status_code == 400
    assert_envelope(response.json(), 400, "invalid")


def test_openapi_schema_and_offline_docs(client: TestClient[Litestar]) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    assert "/api/health" in schema["paths"]
    operation_ids = [
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    ]
    assert "getHealth" in operation_ids
    page = client.get("/api/schema/")
    assert page.status_code == 200
    assert not re.search(r"https?://", page.text), "the API docs page must not load from the web"
    for asset in re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text):
        assert client.get(asset).status_code == 200, asset


def test_one_time_launch_url_works_once_and_rotates_the_session(
    app: Litestar, client: TestClient[Litestar]
) -> None:
    client.cookies.set("session", "attacker-chosen-id")
    token = login_tokens.create(app.state.context.database)
    page = client.get("/auth/launch", params={"token": token})
    assert page.status_code == 200 and f'value="{token}"' in page.text
    first = client.post("/auth/launch", data={"token": token}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/#/home"
    session_id = first.cookies.get("session")
    assert session_id and session_id != "attacker-chosen-id"
    again = client.post("/auth/launch", data={"token": token}, follow_redirects=False)
    assert again.headers["location"] == "/?launch=expired#/home"
    forged = client.post("/auth/launch", data={"token": "forged"}, follow_redirects=False)
    assert forged.headers["location"] == "/?launch=expired#/home"


def test_the_launch_page_changes_nothing(app: Litestar, client: TestClient[Litestar]) -> None:
    token = login_tokens.create(app.state.context.database)
    client.get("/auth/launch", params={"token": token})
    assert login_tokens.consume(app.state.context.database, token) is True


def test_the_launcher_logs_in_the_desktop_account_when_configured(settings: Settings) -> None:
    desktop = settings.with_values(desktop_login_email="me@lab.example")
    app = create_app(desktop, start_jobs=False)
    with local_client(app) as client:
        database = app.state.context.database
        logins.create_first_admin(database, "me@lab.example", "correct horse battery")
        token = login_tokens.create(database)
        client.post("/auth/launch", data={"token": token})
        assert client.get("/api/auth/me").json()["email"] == "me@lab.example"
