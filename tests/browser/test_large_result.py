"""A result with thousands of clones stays usable: every clone is listed and only the rows in
view are drawn (how fast: `benchmarks/bench_viewer.py`)."""

from __future__ import annotations

import json
import random

import pytest
from playwright.sync_api import FilePayload, expect

from .conftest import ClientPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLONES = 5000
SAMPLES = 3


def large_result() -> bytes:
    """Synthetic clones with random sequences and a long tail of sizes, like a polyclonal sample."""
    randomness = random.Random(5)
    clones = []
    for index in range(CLONES):
        sequence = "".join(randomness.choice("ACGT") for _ in range(120))
        reads = [
            max(0, int(20000 / (index + 1) ** 1.1) - randomness.randint(0, 3))
            for _ in range(SAMPLES)
        ]
        clones.append(
            {
                "id": f"clone-{index}",
                "germline": randomness.choice(["IGH", "IGK", "TRG"]),
                "top": index + 1,
                "reads": reads,
                "sequence": sequence,
                "seg": {
                    "5": {
                        "name": f"IGHV{randomness.randint(1, 7)}-{randomness.randint(1, 40)}*01",
                        "start": 1,
                        "stop": 60,
                    },
                    "3": {"name": f"IGHJ{randomness.randint(1, 6)}*02", "start": 80, "stop": 120},
                    "cdr3": {"start": 55, "stop": 84, "aa": "ARDGYW"},
                    "junction": {"start": 52, "stop": 87, "aa": "CARDGYWF", "productive": True},
                },
            }
        )
    document = {
        "vidjil_json_version": "2016b",
        "samples": {"number": SAMPLES, "original_names": [f"s{i}.fastq" for i in range(SAMPLES)]},
        "reads": {"segmented": [400000] * SAMPLES, "germline": {"IGH": [200000] * SAMPLES}},
        "clones": clones,
    }
    return json.dumps(document).encode()


def test_five_thousand_clones_are_listed_and_scroll_into_view(client: ClientPage) -> None:
    page = client.open()
    payload: FilePayload = {
        "name": "large.vidjil",
        "mimeType": "application/json",
        "buffer": large_result(),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    expect(page.locator(".list-summary")).to_contain_text(f"of {CLONES:,} clones shown")
    page.get_by_label("Show top clones").select_option(label="all clones")
    expect(page.locator(".list-summary")).to_have_text(f"{CLONES:,} of {CLONES:,} clones shown")
    rows = page.locator(".clone-list tbody tr[data-id]")
    # Only the rows in view and a margin are in the page, not 5,000.
    assert 10 < rows.count() < 100
    expect(rows.first).to_have_attribute("aria-rowindex", "1")
    page.locator(".list-scroll").evaluate("list => { list.scrollTop = list.scrollHeight; }")
    # The last rows: the smallest clones, then the smaller clonotypes of each locus.
    expect(page.locator(".clone-list tr.smaller-row").last).to_be_visible()
    last_clone = rows.last
    expect(last_clone).to_have_attribute("aria-rowindex", str(CLONES))
    last_clone.click()
    expect(last_clone).to_have_attribute("aria-selected", "true")


def test_the_keyboard_moves_past_the_rows_drawn(client: ClientPage) -> None:
    page = client.open()
    payload: FilePayload = {
        "name": "large.vidjil",
        "mimeType": "application/json",
        "buffer": large_result(),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    page.get_by_label("Show top clones").select_option(label="all clones")
    page.locator(".clone-list tbody tr[data-id]").first.focus()
    for _ in range(120):
        page.keyboard.press("ArrowDown")
    focused = page.locator(".clone-list tbody tr:focus")
    expect(focused).to_have_attribute("aria-rowindex", "121")
    expect(focused).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(focused).to_have_attribute("aria-selected", "true")
