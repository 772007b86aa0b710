"""The Worker machines page against a real `vidjil-local serve` process: a token is made and
shown once with the command to run on the worker, the worker is listed, its token revoked; the
status page says whether the app is open to the lab network."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, lab_server, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]


def test_admin_makes_lists_and_revokes_a_worker_token(client: ClientPage, lab_server: str) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/workers")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    # "stub" (dramatiq's name for the in-app broker) meant nothing to an administrator
    expect(page.locator(".queue-state")).to_contain_text("Job queue (in-app queue)")
    page.get_by_label("Worker name").fill("bench-pc-2")
    page.get_by_role("button", name="Make a worker token").click()
    token = page.locator(".worker-token pre.token")
    expect(token).to_contain_text("vidjil-local worker --server https://")
    expect(token).to_contain_text("--token vidjil-worker-")
    row = page.locator("tr", has_text="bench-pc-2")
    expect(row).to_contain_text("allowed")
    shoot(page, "admin-workers")
    row.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("revoked")
    expect(page.get_by_role("status")).to_have_text("bench-pc-2's token is revoked.")

    page.get_by_role("link", name="Server status").click()
    expect(page.locator(".network-status")).to_contain_text("Only this computer can use the app")
    expect(page.locator("dl.facts").first).to_contain_text("(in-app queue)")
