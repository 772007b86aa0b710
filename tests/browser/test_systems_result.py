"""A result with incomplete ("+") and unexpected (`xxx`) recombinations, made by `analyze` from
reads of every system of the test archive, opens in the client with each system named."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, expect

from tests.recombinations import ARCHIVE, ARCHIVE_CASES
from tests.unit.pipeline.test_cli_analyze import parse
from tests.unit.pipeline.test_systems_analysis import write_reads

from .conftest import ClientPage

pytestmark = pytest.mark.browser


def test_each_system_is_named_in_the_list_and_the_locus_filter(
    client: ClientPage, tmp_path: Path
) -> None:
    reads = tmp_path / "systems.fastq"
    write_reads(reads, str(ARCHIVE), ARCHIVE_CASES)
    arguments = ["analyze", str(reads), "-g", str(ARCHIVE), "-2", "-o", str(tmp_path), "--quiet"]
    args = parse([*arguments, "--processes", "1", "--min-reads", "1"])
    assert args.handler(args) == 0
    page = client.open()
    payload: FilePayload = {
        "name": "systems.vidjil",
        "mimeType": "application/json",
        "buffer": (tmp_path / "systems.vidjil").read_bytes(),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    rows = page.locator(".clone-list tbody tr")
    expect(rows).to_have_count(len(ARCHIVE_CASES))
    systems = {case.system for case in ARCHIVE_CASES}
    assert {"IGK+", "TRD+", "TRB+", "IGH+", "TRA+D", "xxx"} <= systems
    for system in systems:
        expect(rows.filter(has=page.locator("td", has_text=system)).first).to_be_visible()
        expect(page.locator(f'.loci input[data-locus="{system}"]')).to_be_checked()
    kde = rows.filter(has=page.locator("td", has_text="IGK+"))
    expect(kde.first).to_contain_text("IGK-KDE")
    page.locator('.loci input[data-locus="xxx"]').uncheck()
    expect(rows).to_have_count(len(ARCHIVE_CASES) - 1)
    expect(rows.filter(has=page.locator("td", has_text="xxx"))).to_have_count(0)
    assert client.console_errors == []
