"""Issue 13's measures where a lab reads them, in the browser: the V identity as a grid axis (the
CLL cut-off drawn across it) and in a report's clone table with the CLL wording; the clone list's
headers on one line; and Vidjil's own files, which its client opens (a clone whose sequence is 0,
a clone with one read count in a result of two samples), opened with "Open file..." as they are.
`UPDATE_SCREENSHOTS=1` writes docs/screenshots/grid-v-identity.png.
"""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import FilePayload, Page, expect

from .conftest import FIXTURES_DIR, REPOSITORY, ClientPage

pytestmark = pytest.mark.browser

# V identity given to clones of our two-sample fixture, as our analyses write it (seg.v_identity)
IDENTITIES = {"igh-dominant": 99.3, "igh-2": 91.4, "igh-4": 96.0, "trg-1": 97.5}


def open_document(page: Page, name: str, document: bytes) -> None:
    payload: FilePayload = {"name": name, "mimeType": "application/json", "buffer": document}
    page.locator("#open-file").set_input_files(files=[payload])
    page.wait_for_selector(".clone-list tbody tr[data-id]")


def with_identities() -> bytes:
    document = json.loads((FIXTURES_DIR / "two-samples-mrd.vidjil").read_text())
    for clone in document["clones"]:
        if clone["id"] in IDENTITIES:
            allele = clone["seg"]["5"]["name"]
            clone["seg"]["v_identity"] = {"val": IDENTITIES[clone["id"]], "info": allele}
    return json.dumps(document).encode()


def bubble_x(page: Page, clone: str) -> float:
    return float(page.locator(f'circle.bubble[data-id="{clone}"]').get_attribute("cx") or "nan")


def test_v_identity_on_the_grid_and_in_a_report_with_the_cll_wording(client: ClientPage) -> None:
    page = client.open()
    open_document(page, "identities.vidjil", with_identities())
    page.get_by_label("Grid X axis").select_option(label="V identity (%)")
    grid = page.get_by_test_id("grid-svg")
    expect(grid.locator("text.axis-label").first).to_have_text("V identity (%)")
    cutoff = grid.locator("line.cll-cutoff")
    expect(cutoff).to_have_count(1)
    expect(grid.locator("text.cll-cutoff-label")).to_have_text("98% (CLL)")
    at = float(cutoff.get_attribute("x1") or "nan")
    # mutated IGH clones left of the cut-off, the unmutated one right of it
    assert bubble_x(page, "igh-2") < bubble_x(page, "igh-4") < at < bubble_x(page, "igh-dominant")
    # clones without a V identity are not placed on this axis
    expect(grid.locator('circle.bubble[data-id="igk-1"]')).to_have_count(0)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPOSITORY / "docs" / "screenshots" / "grid-v-identity.png"))

    page.get_by_role("link", name="Report").click()
    builder = page.get_by_role("region", name="Report builder")
    builder.get_by_label("Template").select_option(label="Diagnosis")
    builder.get_by_role("button", name="New report").click()
    table = page.locator(".report-block[data-block=clones]")
    expect(table.locator("thead th", has_text="V identity")).to_have_count(1)

    def identity_of(name: str) -> str:
        return table.locator("tbody tr", has_text=name).locator("td.v-identity").inner_text()

    assert identity_of("IGHV3-23*01 2/CCCGGA/4") == "99.3% unmutated"
    assert identity_of("IGHV1-69*01 3/GGATG/2") == "91.4% mutated"
    assert identity_of("TRGV9*01 4/CGGGA/2") == "97.5%"  # the CLL wording is for IGH only
    assert identity_of("IGKV1-5*03") == ""
    expect(table.get_by_test_id("cll-wording")).to_have_text(
        "IGHV mutation status (CLL, ERIC): mutated under 98% identity to the closest germline"
        " V allele, unmutated at 98% or more."
    )


# Each text of a header cell lies on one line: one line box top per text.
HEADER_LINES = """() => [...document.querySelectorAll('.clone-list thead th')].map((th) => {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let lines = 0;
    for (let text = walker.nextNode(); text !== null; text = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(text);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        lines = Math.max(lines, tops.size);
    }
    return [th.textContent.trim(), lines];
})"""


def test_the_clone_list_headers_stay_on_one_line(client: ClientPage) -> None:
    page = client.open()
    open_document(page, "identities.vidjil", with_identities())
    lines = dict(page.evaluate(HEADER_LINES))
    assert lines["V id%"] == 1, lines
    assert set(lines.values()) == {1}, lines
    expect(page.locator(".clone-list tr[data-id=igh-dominant] td.v-identity")).to_have_text("99.3U")


@pytest.mark.parametrize(
    ("name", "clones"),
    [("output-spike-norm.vidjil", 13), ("analysis-example.vidjil", 99), ("w81_sample_1.vidjil", 2)],
)
def test_vidjils_own_files_open_as_its_client_opens_them(
    client: ClientPage, name: str, clones: int
) -> None:
    page = client.open()
    page.locator("#open-file").set_input_files(str(FIXTURES_DIR / name))
    expect(page.locator(".list-summary")).to_contain_text(f"of {clones} clones shown")
    expect(page.get_by_role("alert")).to_be_hidden()
    page.locator(".clone-list tbody tr[data-id]").first.click()
    expect(page.get_by_test_id("sequence-view").locator(".sequence-line")).to_have_count(1)


def test_a_spike_in_without_a_sequence_shows_its_window_and_its_normalised_value(
    client: ClientPage,
) -> None:
    page = client.open()
    page.locator("#open-file").set_input_files(str(FIXTURES_DIR / "output-spike-norm.vidjil"))
    window = "TGTGCCACCTGGGATGGGCTTGGGTAGTGATTGGATCAAG"  # Vidjil wrote "sequence": 0
    row = page.locator(f'.clone-list tr[data-id="{window}"]')
    # a spike-in of the same window further in the file, told apart
    expect(page.locator(f'.clone-list tr[data-id="{window} (2)"]')).to_contain_text("TRGV4")
    expect(row).to_be_visible()
    # normalised by the spike-ins: copies per cell beside the %
    expect(row.locator("td.percent")).to_have_attribute("data-normalized", "0.0014%c")
    row.click()
    expect(page.get_by_test_id("sequence-view").locator(".sequence")).to_have_text(window)
