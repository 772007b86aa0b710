"""Sessions are stored again only when they change or their renewal is due."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.stores import base

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api import sessions
from vidjil_local.api.app import create_app
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


def test_a_login_outlives_a_restart_and_a_logout_ends_it_on_disk(
    admin_api: Api, settings: Settings
) -> None:
    cookies = dict(admin_api.client.cookies)
    with local_client(create_app(settings, start_jobs=False), cookies=cookies) as restarted:
        assert restarted.get("/api/auth/me").status_code == 200, "read from the session file"
    assert admin_api.post("/api/auth/logout").status_code == 204
    assert session_files(settings) == {}
    with local_client(create_app(settings, start_jobs=False), cookies=cookies) as restarted:
        assert restarted.get("/api/auth/me").status_code == 401


def test_an_expired_session_is_refused_from_memory(
    admin_api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert admin_api.get("/api/auth/me").status_code == 200
    later = datetime.now(tz=UTC) + timedelta(seconds=settings.login_expiration + 1)
    monkeypatch.setattr(base, "datetime", _Clock(later))
    assert admin_api.get("/api/auth/me").status_code == 401


class _Clock:
    """`datetime` as litestar.stores.base sees it, at a chosen moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, tz: timezone | None = None) -> datetime:
        return self.moment
