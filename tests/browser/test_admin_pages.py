"""The admin pages against a real `vidjil-local serve` process: a setting changed on the settings
page takes effect (wrong logins slow an account down sooner), validation errors and the restart
notice are shown, a user is created, slowed down by wrong passwords and unlocked, a group gets
rights and a member, the audit log filters and downloads as CSV, the server status runs the
self-test, and two-factor login turned on in the settings sends its code to an SMTP listener on
loopback.

`UPDATE_SCREENSHOTS=1` also writes the screenshots of these pages to docs/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.conftest import Inbox

from .conftest import ClientPage
from .test_lab_pages import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ensure_admin,
    lab_server,
    log_in,
    only_refusals_logged,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]  # the real server fixture, shared with the lab pages tests

TECH_EMAIL = "tech@lab.example"
TECH_PASSWORD = "pipette and bench"


def setting_row(page: Page, name: str) -> Locator:
    return page.locator(f'.setting[data-setting="{name}"]')


def test_admin_changes_a_setting_and_it_takes_effect(client: ClientPage, lab_server: str) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/settings")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    for section in ("server", "security", "email", "metrics"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    row = setting_row(page, "max_wrong_passwords")
    expect(row).to_contain_text("logins to an account are slowed down")
    row.get_by_label("max_wrong_passwords").fill("0")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("alert")).to_contain_text("below its minimum 1")
    row.get_by_label("max_wrong_passwords").fill("2")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("status")).to_have_text("Saved: applied now.")
    restart = setting_row(page, "login_expiration")
    restart.get_by_label("login_expiration").fill("3600")
    restart.get_by_role("button", name="Save").click()
    expect(restart.get_by_role("status")).to_contain_text("applies after a restart")
    expect(restart.locator(".restart-note")).to_be_visible()
    only_refusals_logged(client, "422")
    page.locator(".lab-page").evaluate("frame => frame.scrollTo(0, 0)")
    shoot(page, "admin-settings")

    # Healthcare compliance on: the "research use only" banner goes, without a restart.
    expect(page.get_by_role("note")).to_contain_text("Research use only")
    compliance = setting_row(page, "healthcare_compliance")
    compliance.get_by_label("healthcare_compliance").select_option("true")
    compliance.get_by_role("button", name="Save").click()
    expect(compliance.get_by_role("status")).to_have_text("Saved: applied now.")
    page.reload()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(page.get_by_role("note")).to_have_count(0)

    page.get_by_role("link", name="Users").click()
    new_user = page.get_by_role("form", name="New user")
    new_user.get_by_label("E-mail").fill(TECH_EMAIL)
    new_user.get_by_label("First name").fill("Rosalind")
    new_user.get_by_label("Password").fill(TECH_PASSWORD)
    new_user.get_by_role("button", name="Create the user").click()
    expect(page.get_by_role("status")).to_have_text(f"Created {TECH_EMAIL}.")
    expect(page.locator(f'tr[data-user="{TECH_EMAIL}"]')).to_contain_text("active")
    page.get_by_role("button", name="Log out").click()

    # Two wrong passwords now slow the account down (five before the change): even the right
    # password waits, and only the administrator's unlock lets it in at once.
    for password, status in (("wrong one", 401), ("wrong two", 401), (TECH_PASSWORD, 429)):
        with page.expect_response(lambda answer: answer.url.endswith("/api/auth/login")) as sent:
            log_in(page, TECH_EMAIL, password)
        assert sent.value.status == status, password  # each answered before the next is sent
    expect(page.get_by_role("alert")).to_contain_text("too many wrong passwords for this account")
    only_refusals_logged(client, "401", "429")

    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(lab_server + "#/admin/users")
    tech = page.locator(f'tr[data-user="{TECH_EMAIL}"]')
    expect(tech).to_contain_text("2 wrong password(s)")
    expect(tech).to_contain_text("logins wait until")
    shoot(page, "admin-users")
    tech.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("status")).to_have_text(f"Unlocked {TECH_EMAIL}.")
    expect(tech).to_contain_text("active")
    expect(tech).not_to_contain_text("logins wait until")
    tech.get_by_label(f"New password for {TECH_EMAIL}").fill("a brand new passphrase")
    tech.get_by_role("button", name="Reset password").click()
    expect(page.get_by_role("status")).to_have_text(f"New password set for {TECH_EMAIL}.")
    page.get_by_role("button", name="Log out").click()
    log_in(page, TECH_EMAIL, "a brand new passphrase")
    expect(page.locator(".lab-user")).to_contain_text("Rosalind")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    page.goto(lab_server + "#/admin/users")
    expect(page.get_by_role("alert")).to_have_text("This page is for administrators.")


def test_groups_audit_status_and_later_pages(client: ClientPage, lab_server: str) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/groups")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_label("Group name").fill("hematology")
    page.get_by_role("button", name="Create the group").click()
    group = page.locator('tr[data-group="hematology"]')
    expect(group.get_by_label("hematology: read (see the sets and results)")).to_be_checked()
    group.get_by_label("hematology: run (launch analyses)").check()
    group.get_by_role("button", name="Save rights").click()
    expect(page.get_by_role("status")).to_have_text("Rights of hematology saved: read, run.")
    group.get_by_role("button", name="Members").click()
    page.get_by_label("User to add to hematology").select_option(label=ADMIN_EMAIL)
    page.get_by_role("button", name="Add to the group").click()
    expect(page.locator(".members li")).to_contain_text([ADMIN_EMAIL])
    shoot(page, "admin-groups")

    page.get_by_role("link", name="Analysis configs").click()
    expect(page.locator('tr[data-config="IGH"]')).to_contain_text("window_length")
    page.get_by_role("button", name="New config").click()
    page.get_by_label("Name").fill("IGH wide")
    page.get_by_label("Options (JSON)").fill('{"window_length": 80')
    page.get_by_role("button", name="Create the config").click()
    expect(page.get_by_role("alert")).to_contain_text("The options are not valid JSON")
    page.get_by_label("Options (JSON)").fill('{"window_length": 80}')
    page.get_by_role("button", name="Create the config").click()
    expect(page.get_by_role("status")).to_have_text("Saved the config IGH wide.")
    wide = page.locator('tr[data-config="IGH wide"]')
    expect(wide).to_contain_text('{"window_length":80}')
    wide.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(wide).to_have_count(0)

    page.get_by_role("link", name="Germline sets").click()
    expect(page.locator('tr[data-germline="human"]')).to_contain_text("bundled")
    page.get_by_label("Name").fill("mouse")
    not_a_zip: FilePayload = {"name": "mouse.zip", "mimeType": "application/zip", "buffer": b"text"}
    page.get_by_label("Zipped germline folder").set_input_files(files=[not_a_zip])
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "zip" in (page.get_by_role("alert").text_content() or "").lower()
    only_refusals_logged(client, "400", "422")

    page.get_by_role("link", name="Audit log").click()
    expect(page.locator(".audit-table tbody tr").first).to_be_visible()
    shoot(page, "admin-audit")
    page.get_by_label("Action").fill("add_member")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".audit-table tbody tr")).to_have_count(1)
    expect(page.locator(".audit-table tbody")).to_contain_text(ADMIN_EMAIL)
    href = page.get_by_role("link", name="Download CSV").get_attribute("href") or ""
    assert "action=add_member" in href
    csv_text = page.request.get(lab_server + href.lstrip("/")).text()
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2 and "add_member" in lines[1], csv_text

    page.get_by_role("link", name="Server status").click()
    expect(page.locator(".facts")).to_contain_text("Version")
    page.get_by_role("button", name="Run the worker self-test").click()
    expect(page.get_by_role("status")).to_contain_text("Self-test queued")
    diagnostics = page.locator(".lab-table tbody tr", has_text="diagnostics").first
    expect(diagnostics).to_contain_text("completed", timeout=60_000)
    shoot(page, "admin-status")
    # the data disk under min_free_disk_percent (100: any disk): uploads are refused, and the
    # page only showed the numbers
    page.get_by_role("link", name="Settings", exact=True).click()
    change_setting(page, "min_free_disk_percent", "100")
    page.get_by_role("link", name="Server status").click()
    expect(
        page.get_by_role("alert").filter(has_text="uploads and analyses are refused")
    ).to_contain_text("100% must stay free")
    page.get_by_role("link", name="Settings", exact=True).click()
    change_setting(page, "min_free_disk_percent", "1")

    page.get_by_role("link", name="E-mail").click()
    expect(page.locator(".lab-main")).to_contain_text("off (no SMTP server or sender)")


def change_setting(page: Page, name: str, value: str) -> None:
    row = setting_row(page, name)
    control = row.get_by_label(name)
    if control.evaluate("element => element.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.fill(value)
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("status")).to_have_text("Saved: applied now.")


def test_two_factor_login_turned_on_in_the_settings(
    client: ClientPage, lab_server: str, inbox: tuple[Inbox, int]
) -> None:
    """Last of this module: it turns two-factor login on, then off again."""
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/settings")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    change_setting(page, "smtp_server", f"127.0.0.1:{inbox[1]}")
    change_setting(page, "smtp_from_email", "vidjil@lab.example")
    change_setting(page, "smtp_tls", "false")
    change_setting(page, "two_factor_required", "true")
    page.get_by_role("button", name="Log out").click()

    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("status")).to_contain_text(f"a login code was sent to {ADMIN_EMAIL}")
    shoot(page, "lab-login-code")
    page.get_by_label("Code from the e-mail").fill("000000")
    page.get_by_role("button", name="Log in with the code").click()
    expect(page.get_by_role("alert")).to_be_visible()
    only_refusals_logged(client, "401", "403")
    page.get_by_label("Code from the e-mail").fill(inbox[0].code())
    page.get_by_role("button", name="Log in with the code").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.goto(lab_server + "#/admin/settings")
    change_setting(page, "two_factor_required", "false")
