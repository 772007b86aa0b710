"""The app answers only to its own names (DNS rebinding), and every answer carries the security
headers: a content security policy without inline script, no framing, no MIME sniffing."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

PORT = 8123


def client_on(settings: Settings, base_url: str) -> TestClient:  # type: ignore[type-arg]
    return TestClient(create_app(settings, start_jobs=False), base_url=base_url)


def test_dns_rebinding_cannot_create_the_first_admin(settings: Settings) -> None:
    """A page at attacker.example whose name resolves to 127.0.0.1 sends its requests with its
    own name as Host: the app refuses them before doing anything."""
    with client_on(settings, f"http://127.0.0.1:{PORT}") as client:
        rebound = {"host": f"attacker.example:{PORT}"}
        status = client.get("/api/auth/status", headers=rebound)
        assert status.status_code == 400
        assert status.json()["error"]["code"] == "bad_host"
        setup = client.post("/api/auth/setup", json=ADMIN, headers=rebound)
        assert setup.status_code == 400 and setup.json()["error"]["code"] == "bad_host"
        assert client.get("/", headers=rebound).status_code == 400  # the client's page too
        assert client.get("/api/auth/status").json()["needs_setup"] is True


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST", "localhost."])
def test_loopback_names_with_the_server_port_are_answered(settings: Settings, name: str) -> None:
    with client_on(settings, f"http://127.0.0.1:{PORT}") as client:
        response = client.get("/api/health", headers={"host": f"{name}:{PORT}"})
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "host",
    [f"localhost:{PORT + 1}", "localhost", "127.0.0.1:80", "", "localhost:x", "127.0.0.2:8123"],
)
def test_other_ports_and_names_are_refused(settings: Settings, host: str) -> None:
    with client_on(settings, f"http://127.0.0.1:{PORT}") as client:
        response = client.get("/api/health", headers={"host": host})
        assert response.status_code == 400, host
        assert response.json()["error"]["code"] == "bad_host"


def test_configured_names_are_answered_on_any_port_or_the_one_given(settings: Settings) -> None:
    named = settings.with_values(allowed_hosts=("vidjil.lab.example", "other.example:8443"))
    with client_on(named, f"http://127.0.0.1:{PORT}") as client:
        for host, status in [
            ("vidjil.lab.example", 200),
            ("VIDJIL.lab.example:443", 200),
            ("other.example:8443", 200),
            ("other.example:443", 400),
            ("lab.example", 400),
            ("evil.vidjil.lab.example", 400),
        ]:
            assert client.get("/api/health", headers={"host": host}).status_code == status, host


def test_the_listening_address_is_answered(settings: Settings) -> None:
    listening = settings.with_values(host="192.0.2.10")
    with client_on(listening, f"http://192.0.2.10:{PORT}") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "192.0.2.11:8123"}).status_code == 400


def test_every_answer_carries_the_security_headers(admin_api: Api) -> None:
    for url in ("/", "/api/health", "/api/no-such-route", "/api/schema/", "/auth/launch?token=x"):
        headers = admin_api.get(url).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, url
        script_sources = re.search(r"script-src ([^;]*)", policy)
        assert script_sources and script_sources.group(1).split() == ["'self'"], url
        assert headers["x-frame-options"] == "DENY", url
        assert headers["x-content-type-options"] == "nosniff", url


def test_pages_served_have_no_inline_script(admin_api: Api) -> None:
    """The policy forbids inline script, so no page of ours may rely on one."""
    for url in ("/", "/api/schema/", "/auth/launch?token=x"):
        page = admin_api.get(url)
        assert page.status_code == 200, url
        for attributes, code in re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S):
            assert "src=" in attributes and not code.strip(), (url, code[:200])
