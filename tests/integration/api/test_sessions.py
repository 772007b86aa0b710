"""Sessions are stored again only when they change or their renewal is due."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api import sessions
from vidjil_local.settings import Settings


def session_files(settings: Settings) -> dict[str, float]:
    folder = settings.data_dir / "sessions"
    return {path.name: path.stat().st_mtime_ns for path in Path(folder).glob("*")}


def test_anonymous_visits_store_no_session(app: Litestar, settings: Settings) -> None:
    with local_client(app) as client:
        for _ in range(3):
            assert client.get("/api/auth/status").status_code == 200
    assert session_files(settings) == {}


def test_a_session_is_written_at_login_then_only_when_due(
    admin_api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    after_login = session_files(settings)
    assert len(after_login) == 1
    time.sleep(0.01)
    for _ in range(5):
        assert admin_api.get("/api/auth/me").status_code == 200
    assert session_files(settings) == after_login, "unchanged sessions are not rewritten"
    monkeypatch.setattr(sessions, "RENEW_SECONDS", 0.0)
    assert admin_api.get("/api/auth/me").status_code == 200
    renewed = session_files(settings)
    assert renewed.keys() == after_login.keys() and renewed != after_login


def test_logout_still_ends_the_session(admin_api: Api) -> None:
    assert admin_api.post("/api/auth/logout").status_code == 204
    assert admin_api.get("/api/auth/me").status_code == 401
    assert admin_api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
