"""The client served by the real app (create_app + uvicorn on loopback): the page loads at `/`
with no console error, and the server's own error envelope reaches the user as a message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.serving import serving
from vidjil_local.api.app import create_app
from vidjil_local.db import Database
from vidjil_local.services.accounts import login_tokens
from vidjil_local.settings import Settings

from .conftest import ClientPage

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "admin@lab.example"
ADMIN_PASSWORD = "a long lab passphrase 42"


@pytest.fixture
def real_server(settings: Settings, built_client: Path) -> Iterator[str]:
    with serving(create_app(settings, start_jobs=False)) as url:
        yield url


def test_the_real_app_serves_the_client(client: ClientPage, real_server: str) -> None:
    client.base_url = real_server
    page = client.open()
    expect(page.get_by_role("heading", name="Open an analysis result")).to_be_visible()


def test_the_real_app_refusal_is_shown_to_the_user(client: ClientPage, real_server: str) -> None:
    with httpx.Client(base_url=real_server) as http:  # the first administrator
        http.get("api/auth/status")
        token = http.cookies.get("csrftoken") or ""
        body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        http.post("api/auth/setup", json=body, headers={"x-csrftoken": token}).raise_for_status()
    page = client.page
    page.goto(real_server + "?set=1&config=1")
    # Logged out: the login page, then back to the results link, which names no set.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The server answers with its error envelope, shown as a sentence.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Cannot open the results of set 1: ")
    assert "404" not in (alert.text_content() or "")
    assert all("401" in error or "404" in error for error in client.console_errors)
    client.console_errors.clear()


def test_the_api_docs_run_under_the_content_security_policy(
    client: ClientPage, real_server: str
) -> None:
    """Swagger UI starts from a script file: an inline script would be refused by the policy and
    show as a console error (the fixture fails on any)."""
    page = client.page
    page.goto(real_server + "api/schema/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("vidjil-local API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


def test_the_launch_page_posts_its_token_under_the_content_security_policy(
    client: ClientPage, real_server: str, settings: Settings
) -> None:
    database = Database(settings.database_path)
    try:
        token = login_tokens.create(database)
    finally:
        database.close()
    page = client.page
    page.goto(real_server + f"auth/launch?token={token}")
    page.wait_for_url("**/#/setup")  # posted, redirected home, sent on to the first start
