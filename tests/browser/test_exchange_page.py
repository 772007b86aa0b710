"""The Export / import admin page against a real `vidjil-local serve`: a patient with two imported
`.vidjil` samples fused by the server is exported (chosen with the set search), the archive
downloaded with its fingerprint, uploaded again (its manifest, sets and config mapping shown),
imported for another group with the fingerprint; then a copy with one byte changed inside a
result file is refused with a clear message and nothing imported.

`UPDATE_SCREENSHOTS=1` also writes the screenshot of the page to docs/screenshots/."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ClientPage
from .test_lab_pages import log_in, only_refusals_logged, shoot
from .test_viewer_lab import ADMIN, PATIENT, Lab, lab_server, prepare

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]


@pytest.fixture(scope="module")
def prepared(lab_server: str) -> Lab:
    lab = prepare(lab_server)
    lab.admin.send("POST", "/api/groups", json={"name": "haemato-b", "rights": ["read"]})
    return lab


def set_count(lab: Lab) -> int:
    return int(lab.admin.send("GET", "/api/sample-sets").json()["total"])


def changed_inside_a_result(archive: Path, copy: Path) -> Path:
    """The archive with one byte of a result file's stored data flipped."""
    content = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        member = next(info for info in opened.infolist() if info.filename.endswith(".vidjil"))
    start = member.header_offset
    name_length, extra_length = struct.unpack("<HH", content[start + 26 : start + 30])
    data = start + 30 + name_length + extra_length
    content[data + member.compress_size // 2] ^= 0xFF
    copy.write_bytes(bytes(content))
    return copy


def test_export_then_import_for_another_group_and_a_changed_archive_refused(
    client: ClientPage, prepared: Lab, tmp_path: Path
) -> None:
    page = client.page
    page.goto(prepared.url + "#/admin/exchange")
    log_in(page, ADMIN["email"], ADMIN["password"])
    export = page.get_by_role("form", name="Export")
    export.get_by_label("Find patients, runs and sets to export").fill(PATIENT["id_label"])
    export.locator(f'.found-sets li[data-set="{prepared.set_id}"]').get_by_role(
        "button", name="Add"
    ).click()
    expect(export.get_by_role("list", name="Sets to export")).to_contain_text(PATIENT["id_label"])
    export.get_by_role("button", name="Export").click()
    outcome = page.locator(".export-outcome")
    expect(outcome).to_contain_text("Exported 1 set, 2 samples and 2 results: an archive of 7")
    fingerprint = outcome.locator(".fingerprint").inner_text()
    assert len(fingerprint) == 64
    with page.expect_download() as waiting:
        outcome.get_by_role("link", name="Download").click()
    archive = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(archive)
    assert archive.name.startswith(f"vidjil-local-sets-{prepared.set_id}-")
    before = set_count(prepared)

    page.get_by_label("Archive (.zip)").set_input_files(str(archive))
    page.get_by_role("button", name="Check the archive").click()
    preview = page.locator(".import-preview")
    expect(preview.locator(".archive-manifest")).to_contain_text(
        f"Archive of sets {prepared.set_id}"
    )
    manifest = preview.locator(".archive-manifest")
    expect(manifest).to_contain_text("1 set, 2 samples, 2 results, 0 saved analyses, 7 files")
    expect(preview.locator(".archive-manifest")).to_contain_text("Every file checked.")
    expect(preview.locator(".fingerprint")).to_have_text(fingerprint)
    sets = preview.get_by_role("table", name="Sets in the archive")
    expect(sets).to_contain_text(f"Patient {PATIENT['id_label']}")
    mapping = preview.get_by_label("Config here for import")
    expect(mapping).to_have_value(str(prepared.config_id))  # same name, program and germline
    preview.get_by_label("Group that gets the sets").select_option(label="haemato-b")
    preview.get_by_label("Expected fingerprint").fill(fingerprint)
    shoot(page, "admin-exchange")
    preview.get_by_role("button", name="Import").click()
    done = page.locator(".import-outcome")
    expect(done).to_contain_text("Imported 1 set, 2 samples, 2 results")
    expect(done).to_contain_text("for the group haemato-b")
    assert set_count(prepared) == before + 1
    new_set = done.get_by_role("link").first.get_attribute("href") or ""
    assert new_set.startswith("#/sets/") and new_set != f"#/sets/{prepared.set_id}"

    changed = changed_inside_a_result(archive, tmp_path / "changed.zip")
    page.get_by_label("Archive (.zip)").set_input_files(str(changed))
    page.get_by_role("button", name="Check the archive").click()
    refusal = page.get_by_role("alert").filter(has_text="The archive is refused")
    expect(refusal).to_contain_text("the uploaded archive: results/")
    expect(refusal).to_contain_text("is damaged or was changed")
    expect(refusal).not_to_contain_text("exchange/imports")  # not where the server keeps it
    expect(page.locator(".import-preview")).to_have_count(0)
    assert set_count(prepared) == before + 1, "nothing imported"
    only_refusals_logged(client, "422")
