"""Results opened from the server (`?set=&config=`): the client fetches the set's fused result
and saved analysis, and saves the user's edits back with the CSRF header."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, expect

from .conftest import (
    CSRF_TOKEN,
    FAKE_CONFIG,
    FAKE_CONFIG_NAME,
    FAKE_PATIENT,
    FAKE_SET,
    ClientPage,
    FakeSetApi,
)

pytestmark = pytest.mark.browser


def test_open_from_the_server_then_save_the_analysis_back(
    client: ClientPage, fake_set_api: tuple[str, FakeSetApi]
) -> None:
    url, api = fake_set_api
    client.base_url = url
    page = client.open(f"?set={FAKE_SET}&config={FAKE_CONFIG}")
    expect(page.locator(".clone-list tbody tr").first).to_have_attribute("data-id", "igh-dominant")
    expect(page.get_by_role("link", name="← Set")).to_have_attribute("href", f"#/set?id={FAKE_SET}")
    # Named by the patient as the server shows it to this user (a pseudonym) and the config.
    expect(page.get_by_test_id("source-name")).to_have_text(
        f"{FAKE_PATIENT['name']} ({FAKE_PATIENT['id_label']}) · {FAKE_CONFIG_NAME}"
    )
    # Nothing to save until the first edit.
    expect(page.get_by_role("button", name="Save analysis")).to_be_hidden()
    page.locator('.clone-list tr[data-id="igh-dominant"]').click()
    page.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    page.get_by_role("button", name="Save analysis").click()
    expect(page.get_by_role("status")).to_have_text("Saved (version 1)")
    token, document = api.saved[0]
    assert token == CSRF_TOKEN
    assert document["clones"] == [{"id": "igh-dominant", "tag": 0}]
    # Reopening shows the saved tag: the analysis comes back from the server.
    page = client.open(f"?set={FAKE_SET}&config={FAKE_CONFIG}")
    expect(page.locator('.clone-list tr[data-id="igh-dominant"]')).to_contain_text("dominant clone")
    page.locator('.clone-list tr[data-id="trg-1"]').click()
    page.get_by_label("New name of the selected clone").fill("TRG background")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status")).to_have_text("Saved (version 2)")
    assert api.saved[1][1]["clones"] == [
        {"id": "igh-dominant", "tag": 0},
        {"id": "trg-1", "name": "TRG background"},
    ]


def test_a_server_error_is_shown_with_its_message(
    client: ClientPage, fake_set_api: tuple[str, FakeSetApi]
) -> None:
    url, _ = fake_set_api
    client.base_url = url
    page = client.open("?set=99&config=1")
    expect(page.get_by_role("alert")).to_have_text("Cannot open the results of set 99: no such set")
    assert all("404" in error for error in client.console_errors)
    client.console_errors.clear()


def test_leaving_with_unsaved_edits_asks_first(
    client: ClientPage, fake_set_api: tuple[str, FakeSetApi]
) -> None:
    url, _ = fake_set_api
    client.base_url = url
    page = client.open(f"?set={FAKE_SET}&config={FAKE_CONFIG}")
    page.locator('.clone-list tr[data-id="igh-dominant"]').click()
    page.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    asked: list[str] = []

    def leave(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    client.open()
    assert asked == ["beforeunload"]


TOOLBAR_BOXES = """toolbar => [...toolbar.children]
    .filter(child => child.getBoundingClientRect().width > 0)
    .filter(child => !child.contains(toolbar.querySelector("[role=status]")))
    .map(child => {
        const box = child.getBoundingClientRect();
        return [child.className || child.tagName, box.left, box.right, box.top, box.bottom];
    })"""


def test_the_saved_status_is_shown_whole_beside_the_toolbar_at_1280(
    client: ClientPage, fake_set_api: tuple[str, FakeSetApi]
) -> None:
    """At 1,280 px the toolbar takes two lines and its notes kept 29 px of the first: "Saved
    (version 1)" was painted over the sample's read counts."""
    url, _ = fake_set_api
    client.base_url = url
    page = client.open(f"?set={FAKE_SET}&config={FAKE_CONFIG}")
    page.locator('.clone-list tr[data-id="igh-dominant"]').click()
    page.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    page.get_by_role("button", name="Save analysis").click()
    status = page.get_by_role("status")
    expect(status).to_have_text("Saved (version 1)")
    box = status.bounding_box()
    assert box is not None
    assert status.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the status is cut"
    for name, left, right, top, bottom in page.locator("header.toolbar").evaluate(TOOLBAR_BOXES):
        apart = (
            box["x"] + box["width"] <= left
            or right <= box["x"]
            or box["y"] + box["height"] <= top
            or bottom <= box["y"]
        )
        assert apart, f"the status {box} covers {name} ({left}-{right}, {top}-{bottom})"


def test_results_opened_logged_out_go_to_the_login_and_come_back(
    client: ClientPage, fake_set_api: tuple[str, FakeSetApi]
) -> None:
    """A bookmarked link to a set's results, opened once the login expired: the viewer said
    'please log in' with no way to, and logging in led to the patients, not back here."""
    url, _ = fake_set_api
    client.base_url = url
    refusal = {"code": "not_authenticated", "message": "please log in", "details": {}}
    logged_out = re.compile(r".*/api/sample-sets/\d+/results\?.*")
    client.page.route(logged_out, lambda route: route.fulfill(status=401, json={"error": refusal}))
    status = {"needs_setup": False, "user": None, "healthcare_compliance": False}
    client.page.route(
        "**/api/auth/status",
        lambda route: route.fulfill(json={**status, "two_factor_required": False}),
    )
    page = client.page
    page.goto(f"{url}?set={FAKE_SET}&config={FAKE_CONFIG}")
    expected = f"?set={FAKE_SET}&config={FAKE_CONFIG}#/login?next=%23%2Fviewer"
    page.wait_for_url(f"**/{expected}")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    # Logged in (the login page goes to `next`), the same results open.
    page.unroute(logged_out)
    page.evaluate("window.location.hash = '#/viewer'")
    expect(page.locator(".clone-list tbody tr").first).to_have_attribute("data-id", "igh-dominant")
    # Loaded whole (its saved analysis, then its names) before the fake server stops.
    expect(page.get_by_test_id("source-name")).to_contain_text(FAKE_CONFIG_NAME)
    # The browser logs the refused request; it is the only error.
    assert [error for error in client.console_errors if "401" not in error] == []
    client.console_errors.clear()
