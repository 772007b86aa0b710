"""Screenshots of the main views at 1280x800. `UPDATE_SCREENSHOTS=1` writes them to
docs/screenshots/ (for the README); otherwise they go to a temporary folder, which still checks
that every view renders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page

from .conftest import REPOSITORY, ClientPage
from .viewer_data import lab_result

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        target = REPOSITORY / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path


def shoot(page: Page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.read_bytes()[16:24] == (1280).to_bytes(4, "big") + (800).to_bytes(4, "big")


def test_screenshots_of_the_main_views(client: ClientPage, shots: Path) -> None:
    page = client.open()
    shoot(page, shots, "welcome")
    page = client.open_fixture("two-samples-mrd.vidjil")
    page.locator('.clone-list tr[data-id="igh-dominant"]').click()
    page.locator('.clone-list tr[data-id="igh-4"]').click(modifiers=["Control"])
    shoot(page, shots, "results-two-samples")
    page.get_by_role("tab", name="Clone info").click()
    shoot(page, shots, "clone-info")
    page.get_by_role("tab", name="Read statistics").click()
    shoot(page, shots, "read-statistics")
    page.get_by_role("link", name="Report").click()
    page.get_by_role("heading", name="Follow-up of the clones").wait_for()
    shoot(page, shots, "report")
    page = client.open_fixture("one-sample.vidjil")
    page.get_by_label("Grid Y axis").select_option(label="Size (% of reads)")
    page.get_by_label("Grid X axis").select_option(label="CDR3 length (nt)")
    page.locator(".clone-list tbody tr[data-id]").first.click()
    shoot(page, shots, "results-one-sample")
    page = client.open_fixture("two-samples-mrd.vidjil")
    page.get_by_label("Grid or bar plot").select_option(label="Bars")
    page.get_by_label("Grid X axis").select_option(label="CDR3 length (nt)")
    page.locator('.clone-list tr[data-id="igh-dominant"]').click()
    shoot(page, shots, "bar-plot")


def test_screenshots_of_curation(client: ClientPage, shots: Path) -> None:
    """Clusters by CDR3 opened, colours by V gene with their legend, the sequences' marks; then
    the Tags menu with a tag the lab renamed."""
    page = client.open()
    payload: FilePayload = {
        "name": "P-7.vidjil",
        "mimeType": "application/json",
        "buffer": lab_result(),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    page.get_by_label("Show top clones").select_option(label="top 20")
    page.get_by_label("Colour by").select_option(label="V gene")
    page.get_by_text("Cluster ▾").click()
    page.get_by_role("menuitem", name="by same CDR3 (amino acids)").click()
    dominant = page.locator('.clone-list tr[data-id="igh-dominant"]')
    dominant.get_by_role("button", name="Show the 2 clones of this cluster").click()
    dominant.click()
    page.locator('.clone-list tr[data-id="igh-mutant"]').click(modifiers=["Control"])
    page.locator('.clone-list tr[data-id="igh-oof"]').click(modifiers=["Control"])
    shoot(page, shots, "results-curation")
    page.get_by_label("Colour by").select_option(label="Tag")
    page.get_by_text("Tags ▾").click()
    name = page.get_by_label("Name of the tag custom 1")
    name.fill("spike A")
    name.press("Enter")
    page.keyboard.press("Escape")
    page.locator('.clone-list tr[data-id="trg-2"]').click()
    page.get_by_label("Tag the selected clones").select_option(label="spike A")
    page.get_by_text("Tags ▾").click()
    shoot(page, shots, "results-tags")
