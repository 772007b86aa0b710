"""First start, login, lockout, logout, session rotation and the login audit."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

import pytest
from litestar import Litestar
from litestar.stores import base as stores_base

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api.app import create_app
from vidjil_local.services import audit
from vidjil_local.services.accounts import members, users
from vidjil_local.settings import Settings


def test_first_start_asks_for_the_admin_account_once(api: Api) -> None:
    status = api.get("/api/auth/status").json()
    assert status["needs_setup"] is True and status["user"] is None
    created = api.post("/api/auth/setup", json=ADMIN)
    assert created.status_code == 201
    assert created.json()["is_admin"] is True
    assert api.get("/api/auth/status").json()["needs_setup"] is False
    again = api.post("/api/auth/setup", json={**ADMIN, "email": "other@lab.example"})
    assert again.status_code == 409


def test_setup_refuses_a_weak_password(api: Api) -> None:
    response = api.post("/api/auth/setup", json={**ADMIN, "password": "short"})
    assert response.status_code == 400
    assert "at least 8" in response.json()["error"]["message"]
    assert api.get("/api/auth/status").json()["needs_setup"] is True


def test_setup_refuses_unknown_fields(api: Api) -> None:
    response = api.post("/api/auth/setup", json={**ADMIN, "is_admin": True})
    assert response.status_code == 400


def test_login_logout_and_me(admin_api: Api) -> None:
    assert admin_api.post("/api/auth/logout").status_code == 204
    assert admin_api.get("/api/auth/me").status_code == 401
    response = admin_api.login(ADMIN["email"], ADMIN["password"])
    assert response.status_code == 200
    assert admin_api.get("/api/auth/me").json()["email"] == ADMIN["email"]


def test_wrong_passwords_slow_the_account_down_until_an_admin_lifts_it(
    app: Litestar, admin_api: Api
) -> None:
    database = app.state.context.database
    with database.write() as db:
        members.create_user(db, "tech@lab.example", "pipette-1234")
    admin_api.post("/api/auth/logout")
    for _ in range(5):
        wrong = admin_api.login("tech@lab.example", "not-the-password")
        assert wrong.status_code == 401
        assert wrong.json()["error"]["message"] == "wrong e-mail or password"
    waiting = admin_api.login("tech@lab.example", "pipette-1234")  # the 5th was the default max
    assert waiting.status_code == 429 and waiting.json()["error"]["code"] == "login_throttled"
    user_id = (
        database.db().execute("SELECT id FROM users WHERE email = 'tech@lab.example'").fetchone()[0]
    )
    users.unlock(database, audit.Actor(1, ADMIN["email"]), user_id)
    assert admin_api.login("tech@lab.example", "pipette-1234").status_code == 200
    actions = [entry["action"] for entry in audit.entries(database, "users", user_id)]
    assert actions.count("login_failed") == 5
    assert "unlock_user" in actions and actions[0] == "login"
    throttled = [
        entry for entry in audit.entries(database, "users") if entry["action"] == "login_throttled"
    ]
    assert throttled and throttled[0]["user_email"] == "tech@lab.example"


def test_unknown_email_gives_the_same_answer(admin_api: Api) -> None:
    admin_api.post("/api/auth/logout")
    response = admin_api.login("nobody@lab.example", "whatever-123")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "wrong e-mail or password"


def test_the_session_id_changes_at_login(admin_api: Api) -> None:
    admin_api.post("/api/auth/logout")
    admin_api.get("/api/auth/status")
    before = admin_api.client.cookies.get("session")
    admin_api.login(ADMIN["email"], ADMIN["password"])
    after = admin_api.client.cookies.get("session")
    assert after and after != before


def test_state_changes_need_the_csrf_header(app: Litestar) -> None:
    with local_client(app) as client:
        client.get("/api/auth/status")
        response = client.post("/api/auth/setup", json=ADMIN)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        assert client.get("/api/auth/status").json()["needs_setup"] is True


def test_a_safe_request_keeps_its_csrf_cookie_and_a_made_up_one_is_refused(app: Litestar) -> None:
    with local_client(app) as client:
        first = client.get("/api/auth/status")
        token = first.cookies["csrftoken"]
        again = client.get("/api/auth/status")  # the cookie sent back: no new one
        assert "csrftoken" not in again.cookies
        client.cookies.set("csrftoken", "made-up-token-of-forty-characters-or-so-x")
        forged = {"x-csrftoken": "made-up-token-of-forty-characters-or-so-x"}
        client.get("/api/auth/status")
        assert client.post("/api/auth/setup", json=ADMIN, headers=forged).status_code == 403
        client.cookies.set("csrftoken", token)
        answer = client.post("/api/auth/setup", json=ADMIN, headers={"x-csrftoken": token})
        assert answer.status_code == 201


def test_login_and_logout_are_recorded_with_the_client_address(
    app: Litestar, admin_api: Api
) -> None:
    admin_api.post("/api/auth/logout")
    admin_api.login(ADMIN["email"], ADMIN["password"])
    entries = audit.entries(app.state.context.database, "users")
    actions = [entry["action"] for entry in entries]
    assert actions[:3] == ["login", "logout", "create_admin"]
    assert all(entry["at"] and entry["client_address"] for entry in entries)


def clock_moved_on(seconds: float) -> type[datetime]:
    """The clock of the session store (Litestar's StorageObject), `seconds` later than now."""

    class Later(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return datetime.now(tz) + timedelta(seconds=seconds)

    return Later


def test_the_session_expires_after_login_expiration(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked by moving the store's clock: a wait of the real expiry would need the request
    before it to come soon enough."""
    with local_client(
        create_app(settings.with_values(login_expiration=60), start_jobs=False)
    ) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        assert api.get("/api/auth/me").status_code == 200
        monkeypatch.setattr(stores_base, "datetime", clock_moved_on(50))
        assert api.get("/api/auth/me").status_code == 200
        monkeypatch.setattr(stores_base, "datetime", clock_moved_on(61))
        assert api.get("/api/auth/me").status_code == 401
