"""A fused result of 10 samples x 10,000 clones: what a lab user does (select a clone, add one,
click a bubble, change sample, colour by V, cluster by CDR3, undo, real clicks on rows) works at
that size. How fast each is answered is measured by `benchmarks/bench_viewer.py`, not here."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, expect

from .conftest import ClientPage
from .viewer_data import large_result

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLES = 10
CLONES = 10_000


def test_ten_samples_of_ten_thousand_clones_answer_every_action(client: ClientPage) -> None:
    page = client.open()
    payload: FilePayload = {
        "name": "fused-10x10000.vidjil",
        "mimeType": "application/json",
        "buffer": large_result(SAMPLES, CLONES),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    expect(page.locator(".list-summary")).to_contain_text(f"of {CLONES:,} clones shown")
    rows = page.locator(".clone-list tbody tr[data-id]")

    rows.nth(3).click()
    expect(page.locator(".clone-list tr.selected")).to_have_count(1)
    for index in range(4, 10):
        rows.nth(index).click(modifiers=["ControlOrMeta"])
    expect(page.locator(".clone-list tr.selected")).to_have_count(7)

    # Bubbles may overlap at this size: the click is sent to the bubble itself.
    page.locator('circle.bubble[data-id="clone-0"]').dispatch_event("click")
    expect(page.locator('.clone-list tr[data-id="clone-0"]')).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator(".clone-list tr.selected")).to_have_count(1)

    sample = page.get_by_label("Sample", exact=True)
    reads = page.get_by_test_id("sample-reads")
    first = reads.inner_text()
    sample.select_option("9")
    expect(reads).not_to_have_text(first)
    sample.select_option("0")
    expect(reads).to_have_text(first)

    page.locator("#colour-by").select_option("v")
    expect(page.get_by_test_id("colour-legend")).to_contain_text("IGHV")

    page.get_by_text("Cluster ▾").click()
    page.locator('[data-cluster="cdr3"]').click()
    undo = page.get_by_role("button", name="Undo", exact=True)
    expect(undo).to_be_enabled()
    undo.click()
    expect(undo).to_be_disabled()
