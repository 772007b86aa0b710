"""Logins that cannot be turned against the lab: wrong passwords slow an account and an address
down with back-off instead of locking anyone out for good, an administrator always gets back in,
a password change ends the other sessions, two-factor tries count per login, and the password
policy refuses common passwords."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar import Litestar

from tests.conftest import Inbox, local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.serving import serving
from vidjil_local.api.app import create_app
from vidjil_local.errors import NotAuthenticated
from vidjil_local.services.accounts import login_tokens, logins, members
from vidjil_local.services.accounts.throttles import LoginThrottled
from vidjil_local.settings import Settings

QUICK = {"max_wrong_passwords": 3, "max_wrong_passwords_per_address": 6, "login_delay_seconds": 60}


@pytest.fixture
def quick_app(settings: Settings) -> Litestar:
    """Throttles that start after 3 wrong passwords (6 from one address), a minute long (long
    enough for a loaded machine: the tests move the clock instead of waiting)."""
    return create_app(settings.with_values(**QUICK), start_jobs=False)


@pytest.fixture
def admin(quick_app: Litestar) -> Iterator[Api]:
    with local_client(quick_app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        yield api


def stranger(app: Litestar) -> Api:
    return Api(local_client(app))


def test_strangers_cannot_lock_out_the_only_admin(app: Litestar, admin_api: Api) -> None:
    """Five wrong passwords (the default limit) used to lock any account for good, the only
    admin's included, with no way back, and end its open session."""
    guesser = stranger(app)
    answers = [guesser.login(ADMIN["email"], "not-the-password").status_code for _ in range(10)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}, answers
    assert admin_api.get("/api/auth/me").status_code == 200, "the admin's session goes on"
    me = admin_api.get("/api/auth/me").json()
    account = admin_api.get(f"/api/users/{me['id']}").json()
    assert not account["locked"] and account["throttled_until"]
    refused = stranger(app).login(ADMIN["email"], ADMIN["password"])
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "login_throttled"
    assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60


def test_a_slowed_down_account_logs_in_once_the_delay_is_over(
    quick_app: Litestar, admin: Api
) -> None:
    guesser = stranger(quick_app)
    answers = [guesser.login(ADMIN["email"], "not-the-password").status_code for _ in range(5)]
    assert answers[:3] == [401, 401, 401] and set(answers[3:]) == {429}
    database = quick_app.state.context.database
    settings = quick_app.state.context.settings
    too_soon = datetime.now(UTC) + timedelta(seconds=50)
    with pytest.raises(LoginThrottled):
        logins.authenticate(database, settings, ADMIN["email"], ADMIN["password"], moment=too_soon)
    later = datetime.now(UTC) + timedelta(seconds=61)
    user = logins.authenticate(database, settings, ADMIN["email"], ADMIN["password"], moment=later)
    assert user.email == ADMIN["email"]


def test_each_wrong_password_past_the_limit_doubles_the_delay(
    quick_app: Litestar, admin: Api
) -> None:
    database = quick_app.state.context.database
    settings = quick_app.state.context.settings
    delays = []
    for attempt in range(6):
        with pytest.raises(NotAuthenticated):
            logins.authenticate(
                database, settings, ADMIN["email"], "wrong-guess", f"10.0.0.{attempt}"
            )
        row = (
            database.db()
            .execute(
                "SELECT julianday(throttled_until) - julianday(last_failure_at) "
                "FROM login_throttles WHERE key = ?",
                ["account:" + ADMIN["email"]],
            )
            .fetchone()
        )
        delays.append(None if row[0] is None else round(row[0] * 86400))
        database.db().execute("UPDATE login_throttles SET throttled_until = NULL")  # no waiting
    assert delays == [None, None, 60, 120, 240, 480], delays  # 1 min, then twice as long


def test_one_password_sprayed_across_many_accounts_is_throttled(
    quick_app: Litestar, admin: Api
) -> None:
    sprayer = stranger(quick_app)
    answers = [sprayer.login(f"user{n}@lab.example", "Summer2024!").status_code for n in range(10)]
    assert answers[:6] == [401] * 6 and set(answers[6:]) == {429}, answers
    database = quick_app.state.context.database
    settings = quick_app.state.context.settings
    other_address = logins.authenticate(
        database, settings, ADMIN["email"], ADMIN["password"], "192.0.2.7"
    )
    assert other_address.email == ADMIN["email"], "another address is not slowed down"


def test_administrators_see_and_lift_throttles(quick_app: Litestar, admin: Api) -> None:
    database = quick_app.state.context.database
    with database.write() as db:
        members.create_user(db, "tech@lab.example", "pipette-1234")
    guesser = stranger(quick_app)
    for _ in range(4):
        guesser.login("tech@lab.example", "not-the-password")
    listed = {user["email"]: user for user in admin.get("/api/users").json()}
    tech = listed["tech@lab.example"]
    assert tech["throttled_until"] and tech["failed_logins"] == 3 and not tech["locked"]
    listed_throttles = admin.get("/api/admin/login-throttles").json()
    throttled = {(item["kind"], item["name"]) for item in listed_throttles}
    assert ("account", "tech@lab.example") in throttled
    assert admin.post(f"/api/users/{tech['id']}/unlock").status_code == 200
    assert stranger(quick_app).login("tech@lab.example", "pipette-1234").status_code == 200
    assert admin.delete("/api/admin/login-throttles").status_code == 204
    assert admin.get("/api/admin/login-throttles").json() == []


def test_the_desktop_launch_lets_a_throttled_admin_in(settings: Settings) -> None:
    desktop = settings.with_values(desktop_login_email=ADMIN["email"], **QUICK)
    app = create_app(desktop, start_jobs=False)
    with local_client(app) as client:
        database = app.state.context.database
        logins.create_first_admin(database, ADMIN["email"], ADMIN["password"])
        guesser = Api(client)
        for _ in range(10):
            guesser.login(ADMIN["email"], "not-the-password")
        token = login_tokens.create(database)
        client.post("/auth/launch", data={"token": token})
        assert client.get("/api/auth/me").json()["email"] == ADMIN["email"]


def test_a_login_from_the_desktop_launch_page_is_not_throttled(settings: Settings) -> None:
    app = create_app(settings.with_values(**QUICK), start_jobs=False)
    with local_client(app) as client:
        database = app.state.context.database
        logins.create_first_admin(database, ADMIN["email"], ADMIN["password"])
        api = Api(client)
        for _ in range(10):
            api.login(ADMIN["email"], "not-the-password")
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 429
        client.post("/auth/launch", data={"token": login_tokens.create(database)})
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200


def two_sessions(lab: Lab, email: str, password: str) -> tuple[Api, Api]:
    first = lab.user(email, lab.group("team", ("read",)), password=password)
    second = Api(local_client(lab.app))
    assert second.login(email, password).status_code == 200
    return first, second


def test_a_password_change_ends_the_users_other_sessions(lab: Lab) -> None:
    changing, elsewhere = two_sessions(lab, "tech@lab.example", "pipette-1234")
    changed = changing.post(
        "/api/auth/password",
        json={"current_password": "pipette-1234", "new_password": "new-pipette-77"},
    )
    assert changed.status_code == 204
    assert changing.get("/api/auth/me").status_code == 200, "the session that changed it stays"
    assert elsewhere.get("/api/auth/me").status_code == 401
    assert elsewhere.get("/api/auth/status").json()["user"] is None


def test_a_password_reset_ends_the_users_sessions(lab: Lab, admin_api: Api) -> None:
    first, second = two_sessions(lab, "tech@lab.example", "pipette-1234")
    user_id = first.get("/api/auth/me").json()["id"]
    reset = admin_api.post(f"/api/users/{user_id}/password", json={"password": "new-pipette-77"})
    assert reset.status_code == 204
    assert first.get("/api/auth/me").status_code == 401
    assert second.get("/api/auth/me").status_code == 401
    assert admin_api.get("/api/auth/me").status_code == 200
    own = admin_api.post(
        f"/api/users/{admin_api.get('/api/auth/me').json()['id']}/password",
        json={"password": "a new admin secret 7"},
    )
    assert own.status_code == 204 and admin_api.get("/api/auth/me").status_code == 200


@pytest.mark.slow
def test_twenty_concurrent_wrong_codes_count_against_one_login(
    settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    """The five tries of a two-factor code were counted in the session: twenty requests sent
    at once all read `0 tries` and were all checked."""
    with_mail = settings.with_values(
        two_factor_required=True,
        smtp_server=f"127.0.0.1:{inbox[1]}",
        smtp_from_email="vidjil@lab.example",
        smtp_tls=False,
    )
    app = create_app(with_mail, start_jobs=False)
    with serving(app) as url, httpx.Client(base_url=url) as client:
        logins.create_first_admin(app.state.context.database, ADMIN["email"], ADMIN["password"])
        client.get("/api/auth/status")
        csrf = {"x-csrftoken": client.cookies["csrftoken"]}
        first = client.post("/api/auth/login", json=ADMIN_LOGIN, headers=csrf)
        assert first.json()["error"]["code"] == "two_factor_required"
        code = inbox[0].code()
        wrong = "000000" if code != "000000" else "111111"

        def guess(_: int) -> str:
            with httpx.Client(base_url=url, cookies=client.cookies) as other:
                answer = other.post("/api/auth/login/code", json={"code": wrong}, headers=csrf)
                return str(answer.json()["error"]["message"])

        with ThreadPoolExecutor(max_workers=20) as pool:
            messages = list(pool.map(guess, range(20)))
        assert messages.count("wrong code") == 5, json.dumps(messages)
        late = client.post("/api/auth/login/code", json={"code": code}, headers=csrf)
        assert late.status_code == 401 and "log in again" in late.json()["error"]["message"]


ADMIN_LOGIN = {"email": ADMIN["email"], "password": ADMIN["password"]}


@pytest.mark.parametrize(
    "password", ["password", "12345678", "qwertyuiop", "Password1!", "iloveyou2", "aaaaaaaaaaa"]
)
def test_common_passwords_are_refused(admin_api: Api, lab: Lab, password: str) -> None:
    created = admin_api.post("/api/users", json={"email": "new@lab.example", "password": password})
    assert created.status_code == 400, created.text
    assert "too easy to guess" in created.json()["error"]["message"]
    user_id = admin_api.get("/api/auth/me").json()["id"]
    reset = admin_api.post(f"/api/users/{user_id}/password", json={"password": password})
    assert reset.status_code == 400
    changed = admin_api.post(
        "/api/auth/password",
        json={"current_password": ADMIN["password"], "new_password": password},
    )
    assert changed.status_code == 400


def test_a_fresh_install_refuses_a_common_admin_password(api: Api) -> None:
    refused = api.post("/api/auth/setup", json={"email": "a@lab.example", "password": "12345678"})
    assert refused.status_code == 400
    assert api.get("/api/auth/status").json()["needs_setup"] is True
