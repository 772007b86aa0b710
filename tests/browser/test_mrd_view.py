"""Issue 13 in the browser: a follow-up holding the diagnosis's leukemic clone at 0.005% shows it
quantified (its reads, "+" under 5 reads, detected), with the limit of detection on the
time-course graph, the V identity with the CLL wording, and the diversity in the read statistics.

The result is made here as the server makes it: two simulated IGH samples (`tests/repertoire.py`)
analysed with the seeded IGH config (60-nt windows, top 100, min_reads 5), their window counts
written, and fused; the follow-up's 4 leukemic reads are under its min_reads, so the fuse counts
them from its window counts. `UPDATE_SCREENSHOTS=1` writes the screenshot to docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, expect

from tests.repertoire import background, random_clone, reads_of, write_fastq
from vidjil_local.core.markers import looked_up_windows
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, analyze
from vidjil_local.results import (
    FusedSample,
    fuse,
    read_window_counts,
    write_vidjil,
    write_window_counts,
)
from vidjil_local.results.fuse import kept_ids

from .conftest import REPOSITORY, ClientPage

pytestmark = pytest.mark.browser

FOLLOW_UP_READS = 80_000
LEUKEMIC_FOLLOW_UP = 4  # 0.005%
AFTER = "cell => getComputedStyle(cell, '::after').content"
IGH_CONFIG = AnalysisOptions(window_length=60, top=100, min_reads=5, processes=1)


def fused_follow_up(folder: Path) -> tuple[bytes, str]:
    """The fused `.vidjil` of a diagnosis and its follow-up, and the leukemic clone's id."""
    igh = load_germline("human:IGH").germline_set
    rng = random.Random(5)
    leukemic = random_clone(igh, "IGH", rng)
    samples = {
        "diagnosis": reads_of(leukemic, 2000, rng) + background(igh, "IGH", 3000, rng, 20),
        "follow-up": reads_of(leukemic, LEUKEMIC_FOLLOW_UP, rng, error_rate=0.0)
        + background(igh, "IGH", FOLLOW_UP_READS - LEUKEMIC_FOLLOW_UP, rng, 100),
    }
    documents, counts = [], []
    for name, reads in samples.items():
        write_fastq(reads, folder / f"{name}.fastq.gz", rng)
        result = analyze([folder / f"{name}.fastq.gz"], igh, IGH_CONFIG)
        result.samples[0].original_name = f"{name}.fastq.gz"
        write_vidjil(result, folder / f"{name}.vidjil")
        write_window_counts(result, folder / f"{name}.windows.tsv.gz")
        documents.append(json.loads((folder / f"{name}.vidjil").read_text()))
    wanted = looked_up_windows(sorted(kept_ids(documents)))
    for name in samples:
        counts.append(read_window_counts(folder / f"{name}.windows.tsv.gz", wanted))
    labels = [
        FusedSample(1, "Diagnosis", "2026-01-05"),
        FusedSample(2, "Day 88 MRD", "2026-04-03"),
    ]
    fused = fuse(documents, labels, window_counts=counts)
    (clone_id,) = [c["id"] for c in fused["clones"] if c["id"] in leukemic.sequence]
    return json.dumps(fused).encode(), clone_id


@pytest.mark.slow
def test_a_follow_up_at_0_005_percent_shows_the_clone_and_the_limit_of_detection(
    client: ClientPage, tmp_path: Path
) -> None:
    document, clone_id = fused_follow_up(tmp_path)
    page = client.open()
    payload: FilePayload = {
        "name": "mrd.vidjil",
        "mimeType": "application/json",
        "buffer": document,
    }
    page.locator("#open-file").set_input_files(files=[payload])
    row = page.locator(f'.clone-list tr[data-id="{clone_id}"]')
    expect(row).to_be_visible()
    identity = row.locator("td.v-identity")
    assert re.fullmatch(r"(100|\d\d\.\d)[MU]", identity.text_content() or ""), (
        identity.text_content()
    )
    status = identity.get_attribute("data-status")
    assert status in ("mutated", "unmutated")  # IGH: the CLL wording
    expect(identity.locator(".mutation-status")).to_have_text(status[0].upper())

    row.click()  # the largest clone at diagnosis: selected, the list keeps it in view
    page.get_by_label("Sample", exact=True).select_option(label="Day 88 MRD")
    expect(row).to_have_attribute("aria-selected", "true")
    reads = row.locator("td.reads")
    expect(reads).to_have_text(str(LEUKEMIC_FOLLOW_UP))
    expect(reads).to_have_attribute("data-few", "true")
    assert reads.evaluate(AFTER) == '"+"'  # the mark under 5 reads
    expect(reads).to_have_attribute("data-detection", "detected")
    assert "detected (4 reads)" in (reads.get_attribute("title") or "")
    expect(row.locator("td.percent")).to_contain_text("0.005")  # 4 of ~80,000 segmented reads

    graph = page.get_by_test_id("graph-svg")
    lod = graph.get_by_test_id("lod-line")
    expect(lod.locator("line.lod-mark")).to_have_count(2)
    title = lod.locator("title").text_content() or ""
    assert "Day 88 MRD: 0.00" in title and "(3 reads, the fewest counted: " in title, title
    point = graph.locator(f'g[data-id="{clone_id}"] circle').nth(1)
    band_top = float(graph.locator("rect.undetected").get_attribute("y") or "0")
    mark = lod.locator("line.lod-mark").nth(1)
    point_y = float(point.get_attribute("cy") or "0")
    assert point_y < band_top  # quantified, not in the "not detected" band
    assert point_y < float(mark.get_attribute("y1") or "0")  # above its limit of detection

    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPOSITORY / "docs" / "screenshots" / "mrd-follow-up.png"))
    page.get_by_role("tab", name="Clone info").click()
    info = page.get_by_test_id("clone-info")
    expect(info).to_contain_text(f": {status} (CLL: IGHV identity")
    expect(info.get_by_test_id("clone-mrd")).to_contain_text("detected (4 reads) · limit 3.0 reads")
    page.get_by_role("tab", name="Read statistics").click()
    diversity = page.get_by_test_id("diversity").nth(1)
    expect(diversity).to_contain_text("all loci")
    expect(page.get_by_test_id("read-stats")).to_contain_text("Limit of detection: 0.00")
