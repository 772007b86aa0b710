"""Exports of the results views download real files that other tools can read."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import airr
import pytest
from playwright.sync_api import Page, expect

from .conftest import ClientPage

pytestmark = pytest.mark.browser

DOMINANT = "igh-dominant"


def export(page: Page, label: str, directory: Path) -> Path:
    page.get_by_text("Export ▾").click()
    with page.expect_download() as info:
        page.get_by_role("menuitem", name=label).click()
    download = info.value
    target = directory / download.suggested_filename
    download.save_as(target)
    return target


@pytest.fixture
def selected(client: ClientPage) -> Page:
    page = client.open_fixture("two-samples-mrd.vidjil")
    page.locator(f'.clone-list tr[data-id="{DOMINANT}"]').click()
    page.locator('.clone-list tr[data-id="trg-1"]').click(modifiers=["Control"])
    return page


def test_airr_export_of_the_selection_validates(selected: Page, tmp_path: Path) -> None:
    path = export(selected, "Selected clones (AIRR TSV)", tmp_path)
    assert path.name == "two-samples-mrd-selected.airr.tsv"
    assert airr.validate_rearrangement(str(path))
    rows = list(airr.read_rearrangement(str(path)))
    dominant = [row for row in rows if row["clone_id"] == DOMINANT]
    assert [row["duplicate_count"] for row in dominant] == [10000, 80]
    first = dominant[0]
    assert first["v_call"] == "IGHV3-23*01"
    assert first["j_call"] == "IGHJ4*02"
    assert first["junction_aa"] == "CAKPGYYGSGSYSFDYW"
    assert first["productive"] is True
    assert first["locus"] == "IGH"
    # The file holds 1-based closed positions (CDR3 at 61-105 in the fixture); the airr reader
    # turns them into 0-based half-open ones, which slice the CDR3 exactly.
    with path.open(newline="") as handle:
        raw = next(csv.DictReader(handle, delimiter="\t"))
    assert (raw["cdr3_start"], raw["cdr3_end"]) == ("61", "105")
    cdr3 = first["sequence"][first["cdr3_start"] : first["cdr3_end"]]
    assert cdr3 == first["cdr3"]
    assert len(cdr3) == 3 * len(first["cdr3_aa"])
    assert {row["clone_id"] for row in rows} == {DOMINANT, "trg-1"}


def test_csv_fasta_and_analysis_exports(selected: Page, tmp_path: Path) -> None:
    with export(selected, "Clones shown (CSV)", tmp_path).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 11
    assert rows[0]["clone_id"] == DOMINANT
    assert rows[0]["percent Day 35 MRD"] == "0.1000"

    fasta = export(selected, "Selected clones (FASTA)", tmp_path).read_text()
    headers = [line for line in fasta.splitlines() if line.startswith(">")]
    assert len(headers) == 2
    assert DOMINANT in headers[0]

    with export(selected, "Read statistics per sample (CSV)", tmp_path).open(newline="") as handle:
        samples = list(csv.DictReader(handle))
    assert [sample["sample"] for sample in samples] == ["Diagnosis", "Day 35 MRD"]
    assert samples[1]["not segmented: too few V/J"] == "1900"

    selected.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    document = json.loads(
        export(selected, "Analysis: names, tags, merges (.analysis)", tmp_path).read_text()
    )
    assert document["vidjil_json_version"] == "2016b"
    assert {clone["id"]: clone["tag"] for clone in document["clones"]} == {DOMINANT: 0, "trg-1": 0}


def test_csv_keeps_a_name_a_spreadsheet_would_run_as_text(
    client: ClientPage, tmp_path: Path
) -> None:
    """A clone named like a formula (typed by a user, or from a result file made elsewhere)
    must not run when the CSV is opened in a spreadsheet."""
    page = client.open_fixture("two-samples-mrd.vidjil")
    page.locator(f'.clone-list tr[data-id="{DOMINANT}"]').click()
    page.get_by_label("New name of the selected clone").fill('=HYPERLINK("http://x.example")')
    page.get_by_role("button", name="Rename").click()
    expect(page.locator(f'.clone-list tr[data-id="{DOMINANT}"]')).to_contain_text("=HYPERLINK")
    with export(page, "Clones shown (CSV)", tmp_path).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["clone_id"] == DOMINANT
    assert rows[0]["name"] == '\'=HYPERLINK("http://x.example")'


@pytest.mark.parametrize("plot", ["Grid", "Graph"])
def test_plots_export_as_svg_and_png(selected: Page, tmp_path: Path, plot: str) -> None:
    svg = export(selected, f"{plot} (SVG)", tmp_path).read_text()
    assert svg.startswith("<?xml") and "<svg" in svg and DOMINANT in svg
    png = export(selected, f"{plot} (PNG)", tmp_path).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5000


def test_export_menu_works_from_the_keyboard(selected: Page, tmp_path: Path) -> None:
    selected.get_by_text("Export ▾").focus()
    selected.keyboard.press("Enter")
    expect(selected.get_by_role("menuitem", name="Clones shown (CSV)")).to_be_focused()
    selected.keyboard.press("ArrowDown")
    selected.keyboard.press("ArrowDown")
    with selected.expect_download() as info:
        selected.keyboard.press("Enter")
    assert info.value.suggested_filename == "two-samples-mrd-selected.airr.tsv"
    selected.get_by_text("Export ▾").click()
    selected.keyboard.press("Escape")
    expect(selected.get_by_role("menuitem", name="Clones shown (CSV)")).to_be_hidden()
    expect(selected.locator(".clone-list tr.selected")).to_have_count(2)
