"""Two-factor login with a real SMTP listener on loopback (aiosmtpd)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.conftest import Inbox, local_client
from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings


@pytest.fixture
def api_2fa(settings: Settings, inbox: tuple[Inbox, int]) -> Iterator[Api]:
    with_mail = settings.with_values(
        two_factor_required=True,
        smtp_server=f"127.0.0.1:{inbox[1]}",
        smtp_from_email="vidjil@lab.example",
        smtp_tls=False,
    )
    with local_client(create_app(with_mail, start_jobs=False)) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        assert api.post("/api/auth/logout").status_code == 204
        yield api


def test_password_then_code_from_the_email(api_2fa: Api, inbox: tuple[Inbox, int]) -> None:
    first = api_2fa.login(ADMIN["email"], ADMIN["password"])
    assert first.status_code == 401
    assert first.json()["error"]["code"] == "two_factor_required"
    assert api_2fa.get("/api/auth/me").status_code == 401, "not logged in before the code"
    mail = inbox[0].messages
    code = inbox[0].code()
    assert mail[-1]["To"] == ADMIN["email"] and "login code" in str(mail[-1]["Subject"])
    second = api_2fa.post("/api/auth/login/code", json={"code": code})
    assert second.status_code == 200, second.text
    assert api_2fa.get("/api/auth/me").json()["email"] == ADMIN["email"]


def test_a_wrong_code_and_too_many_tries(api_2fa: Api, inbox: tuple[Inbox, int]) -> None:
    api_2fa.login(ADMIN["email"], ADMIN["password"])
    code = inbox[0].code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = api_2fa.post("/api/auth/login/code", json={"code": wrong})
        assert response.status_code == 401
    late = api_2fa.post("/api/auth/login/code", json={"code": code})
    assert late.status_code == 401 and "expired" in late.json()["error"]["message"]


def test_a_code_without_the_password_step_is_refused(api_2fa: Api) -> None:
    response = api_2fa.post("/api/auth/login/code", json={"code": "123456"})
    assert response.status_code == 401
    assert "password first" in response.json()["error"]["message"]


def test_mail_server_down_gives_a_clear_error(settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    broken = settings.with_values(
        two_factor_required=True,
        smtp_server=f"127.0.0.1:{port}",
        smtp_from_email="vidjil@lab.example",
        smtp_tls=False,
    )
    with local_client(create_app(broken, start_jobs=False)) as client:
        api = Api(client)
        api.post("/api/auth/setup", json=ADMIN)
        api.post("/api/auth/logout")
        response = api.login(ADMIN["email"], ADMIN["password"])
    assert response.status_code == 503
    assert "could not be sent" in response.json()["error"]["message"]
