"""The Backups and Logs admin pages against a real `vidjil-local serve`: the backup folder set on
the page, "Back up now" listed in the history and the kept backups, the state on the status page,
what a backup holds; the logs listed, searched and downloadable; the settings page naming where
secrets are kept.

`UPDATE_SCREENSHOTS=1` also writes the screenshots of these pages to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ClientPage
from .test_admin_pages import setting_row
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, lab_server, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]


def test_backups_page_backs_up_and_says_what_a_backup_holds(
    client: ClientPage, lab_server: str, tmp_path: Path
) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/backups")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.locator(".backup-state")).to_contain_text("No backup folder is set")
    holds = page.get_by_role("region", name="In a backup", exact=True)
    expect(holds).to_contain_text("The database")
    expect(holds).to_contain_text("saved analyses (.analysis)")
    expect(page.get_by_role("region", name="Not in a backup")).to_contain_text(
        "Uploaded sequence files"
    )

    folder = tmp_path / "share"
    row = setting_row(page, "backup_dir")
    row.get_by_label("backup_dir").fill(str(folder))
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("status")).to_have_text("Saved: applied now.")
    expect(page.locator(".backup-state")).to_contain_text("No backup has been made yet.")
    expect(page.locator(".backup-state")).to_contain_text("Next backup:")

    page.get_by_role("button", name="Back up now").click()
    expect(page.get_by_role("status").filter(has_text="Backup started")).to_be_visible()
    history = page.get_by_role("table", name="Last runs")
    expect(history.locator("tbody tr").first).to_contain_text("completed", timeout=60_000)
    expect(history.locator("tbody tr").first).to_contain_text("by hand")
    kept = page.get_by_role("table", name="Backups in the folder")
    expect(kept.locator("tbody tr")).to_have_count(1)
    expect(page.locator(".backup-state")).to_contain_text("Last backup")
    expect(page.locator(".restore-command")).to_contain_text(f'--from "{folder}"')
    assert (folder / "snapshots").is_dir()
    shoot(page, "admin-backups")

    page.get_by_role("link", name="Server status").click()
    expect(page.locator(".backup-health")).to_contain_text("Last backup")


def test_logs_page_shows_and_searches_the_logs(client: ClientPage, lab_server: str) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/admin/logs")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    files = page.get_by_role("table", name="Log files")
    expect(files).to_contain_text("vidjil-local.log")
    expect(files).to_contain_text("requests.log")
    page.get_by_label("Log", exact=True).select_option("requests.log")
    page.get_by_label("Only lines holding").fill("/api/auth/login")
    page.get_by_role("button", name="Show").click()
    lines = page.get_by_label("Log lines")
    expect(lines).to_contain_text(f"{ADMIN_EMAIL} POST /api/auth/login 200")
    expect(lines).not_to_contain_text(ADMIN_PASSWORD)
    download = files.locator("tr", has_text="requests.log").get_by_role("link", name="Download")
    href = download.get_attribute("href") or ""
    assert href.endswith("/api/admin/logs/requests.log/download")
    answer = page.request.get(lab_server + href.lstrip("/"))
    assert answer.ok and "POST /api/auth/login" in answer.text()
    shoot(page, "admin-logs")

    page.get_by_role("link", name="Settings").click()
    expect(page.locator(".secret-store")).to_contain_text("Where secrets are kept: files:")
    expect(page.locator(".secret-store")).to_contain_text("0600")
