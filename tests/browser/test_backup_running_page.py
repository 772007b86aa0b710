"""The Backups page while a backup runs, against a real `vidjil-local serve` whose data folder holds
2,000 result files of 1.5 kB and whose backups write at most 0.1 MB/s (`backup_max_mb_per_second`:
the backup runs for ~30 s on any machine, not for as long as the disk happens to take): the state
says a backup is running, since when and how far it is, "Back up now" waits for its end, and a
second tab's "Back up now" is answered that a backup is running rather than failing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app_process import serving
from vidjil_local.settings import write_setting

from .conftest import ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RESULT_FILES = 2000
RESULT_BYTES = 1500


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory, built_client: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("backup-running")
    data_dir = folder / "data"
    for number in range(RESULT_FILES):
        result = data_dir / "results" / str(number // 100) / f"{number}.vidjil"
        result.parent.mkdir(parents=True, exist_ok=True)
        result.write_text(f'{{"number": {number}, "padding": "{"x" * RESULT_BYTES}"}}')
    write_setting(data_dir, "backup_dir", str(folder / "share"), environ={})
    write_setting(data_dir, "backup_schedule", "", environ={})  # by hand only
    write_setting(data_dir, "backup_max_mb_per_second", "0.1", environ={})
    log = folder / "serve.log"
    with serving(data_dir, log) as url:
        yield url


def test_back_up_now_while_a_backup_runs_says_so_and_shows_its_progress(
    client: ClientPage, busy_server: str
) -> None:
    ensure_admin(busy_server)
    page = client.page
    page.goto(busy_server + "#/admin/backups")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.locator(".backup-state")).to_contain_text("No backup has been made yet.")
    other_tab = page.context.new_page()  # a second administrator's page, opened before
    other_tab.goto(busy_server + "#/admin/backups")
    other_button = other_tab.get_by_role("button", name="Back up now")
    expect(other_button).to_be_enabled()

    page.get_by_role("button", name="Back up now").click()
    state = page.locator(".backup-state")
    expect(state).to_contain_text("A backup is running (started ")
    expect(state).to_contain_text("by hand")
    expect(page.locator(".backup-progress")).to_contain_text(f"of {RESULT_FILES + 1} files")
    expect(page.get_by_role("button", name="Back up now")).to_be_disabled()
    shoot(page, "admin-backup-running")

    other_button.click()
    notice = other_tab.get_by_role("status").filter(has_text="a backup is already running")
    expect(notice).to_contain_text("by hand")
    expect(notice).to_contain_text("shown on the Backups page")
    expect(other_tab.locator(".backup-state")).to_contain_text("A backup is running")
    expect(other_button).to_be_disabled()

    history = page.get_by_role("table", name="Last runs")
    expect(history.locator("tbody tr")).to_have_count(1)  # the refused one is not a failed run
    expect(history.locator("tbody tr").first).to_contain_text("completed", timeout=120_000)
    expect(page.get_by_role("button", name="Back up now")).to_be_enabled()
    expect(state).to_contain_text("Last backup")
    other_tab.close()
