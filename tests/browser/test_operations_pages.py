"""The E-mail and Metrics admin pages and "My account" against a real `vidjil-local serve` whose
SMTP settings point at a listener on loopback: the test e-mail arrives and is listed, the metrics
show and switch lists, the Prometheus text is linked, and a user changes the e-mails they get.

`UPDATE_SCREENSHOTS=1` also writes the screenshots of these pages to docs/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.app_process import serving
from tests.conftest import Inbox, smtp_listener
from tests.waiting import wait_until

from .conftest import ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN_ADDRESSES = "it@hospital.example"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_listener() as listener:
        yield listener


@pytest.fixture(scope="module")
def ops_server(
    tmp_path_factory: pytest.TempPathFactory, built_client: Path, smtp: tuple[Inbox, int]
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("operations-pages")
    data_dir, log = folder / "data", folder / "serve.log"
    settings = {
        "VIDJIL_SMTP_SERVER": f"127.0.0.1:{smtp[1]}",
        "VIDJIL_SMTP_FROM_EMAIL": "vidjil@lab.example",
        "VIDJIL_SMTP_TLS": "false",
        "VIDJIL_SMTP_ADMIN_EMAILS": ADMIN_ADDRESSES,
        "VIDJIL_METRICS_USER_EMAIL": "metrics@lab.example",
        "VIDJIL_METRICS_USER_PASSWORD": "Scrape-pw-2024",
    }
    with serving(data_dir, log, env={"VIDJIL_WORKERS_POOL": "1", **settings}) as url:
        yield url


def test_email_page_sends_a_test_email(
    client: ClientPage, ops_server: str, smtp: tuple[Inbox, int]
) -> None:
    ensure_admin(ops_server)
    page = client.page
    page.goto(ops_server + "#/admin/email")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="E-mail", exact=True)).to_be_visible()
    facts = page.locator(".facts")
    expect(facts).to_contain_text(f"127.0.0.1:{smtp[1]}")
    expect(facts).to_contain_text(ADMIN_ADDRESSES)
    expect(page.get_by_label("To")).to_have_value(ADMIN_EMAIL)
    page.get_by_role("button", name="Send a test e-mail").click()
    expect(page.get_by_role("status")).to_have_text(f"Test e-mail sent to {ADMIN_EMAIL}.")
    wait_until(lambda: smtp[0].messages, timeout=10, what="the test e-mail did not arrive")
    assert smtp[0].messages[-1]["Subject"] == "[Vidjil] test e-mail"
    expect(page.locator(".lab-table").first).to_contain_text("test")
    expect(page.locator(".lab-table").first).to_contain_text("sent")
    shoot(page, "admin-email")


def test_metrics_page_shows_both_lists(client: ClientPage, ops_server: str) -> None:
    ensure_admin(ops_server)
    page = client.page
    page.goto(ops_server + "#/admin/metrics")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.locator("section.metric")).to_have_count(21)
    groups = page.locator('section[data-metric="group_count"] .metric-value')
    expect(groups).to_have_text("3")  # admin, metrics and the admin's personal group
    logins = page.locator('section[data-metric="login_count"]')
    expect(logins).to_contain_text(f"user {ADMIN_EMAIL}")
    shoot(page, "admin-metrics")
    page.get_by_label("Metrics").select_option("long")
    expect(page.locator("section.metric")).to_have_count(4)
    href = page.get_by_role("link", name="Prometheus text").get_attribute("href") or ""
    scraped = httpx.get(ops_server + href.lstrip("/"), auth=("metrics@lab.example",
                                                          "Scrape-pw-2024"))  # fmt: skip
    assert scraped.status_code == 200 and "vidjil_set_patients_by_group" in scraped.text


def test_a_user_chooses_the_emails_about_their_analyses(
    client: ClientPage, ops_server: str
) -> None:
    ensure_admin(ops_server)
    page = client.page
    page.goto(ops_server + "#/patients")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.locator("a.user-name").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_label("when they end, finished or failed", exact=False)).to_be_checked()
    page.get_by_label("only when one of them failed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.reload()
    expect(page.get_by_label("only when one of them failed")).to_be_checked()
    shoot(page, "lab-my-account")
