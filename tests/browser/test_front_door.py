"""The front door: the address `vidjil-local serve` prints (`/`, no page named) leads wherever
the server's state says, on a fresh data folder: the first-start page, then the patients once
the administrator exists, the login page once logged out. The standalone file viewer stays one
click away (the lab menu, the login page), and a used desktop start link says why it leads to
the login page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, lab_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]  # a real `vidjil-local serve` on a fresh data folder, for this module


def expect_file_viewer(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/#/viewer$"))
    expect(page.get_by_role("heading", name="Open an analysis result")).to_be_visible()


def test_the_root_address_leads_to_first_start_then_patients_then_login(
    client: ClientPage, lab_server: str
) -> None:
    page = client.page
    page.goto(lab_server)
    expect(page).to_have_url(re.compile(r"/#/setup$"))
    expect(page.get_by_role("heading", name="Welcome to Vidjil local")).to_be_visible()
    # Someone with only a result file needs no account.
    page.get_by_role("link", name="Open a result file").click()
    expect_file_viewer(page)
    page.goto(lab_server)
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create the administrator account").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    page.goto(lab_server)
    expect(page).to_have_url(re.compile(r"/#/patients$"))
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Open a result file"
    ).click()
    expect_file_viewer(page)
    page.get_by_role("link", name="Vidjil local").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    page.goto(lab_server)
    expect(page).to_have_url(re.compile(r"/#/login$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/#/patients$"))


def test_a_used_start_link_leads_to_the_login_page_saying_why(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "auth/launch?token=already-used")
    expect(page).to_have_url(re.compile(r"/#/login\?reason=launch-expired$"))
    expect(page.get_by_role("status")).to_contain_text("works only once and was already used")
    # Said once: the next visit of the front door is a plain login.
    page.goto(lab_server)
    expect(page).to_have_url(re.compile(r"/#/login$"))
    expect(page.get_by_role("status")).to_be_hidden()
