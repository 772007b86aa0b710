"""The results page stays interactive on a fused result of 10 samples x 10,000 clones: what a
lab user does (select a clone, add one, click a bubble, change sample, colour by V, cluster by
CDR3, undo) each answered, the page painted again, in the browser's own timing.

The times are measured in the page (performance.now() from the click to the next painted frame,
and the Event Timing API for real mouse clicks) and printed (`pytest -s`) with the browser's
numbers; the test asserts what each action does, with a generous bound only. Noisy on a shared
machine: see the numbers in the session's notes, not here."""

from __future__ import annotations

import statistics

import pytest
from playwright.sync_api import FilePayload, Page, expect

from .conftest import ClientPage
from .viewer_data import large_result

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLES = 10
CLONES = 10_000
# Far above the 100 ms aimed at: the test checks behaviour, the numbers are read from its output.
GENEROUS_MS = 1500

# Runs `action` (a script), then waits for the next frame to be painted; returns the time taken.
TIMED = """async (action) => {
    const start = performance.now();
    new Function(action)();
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - start;
}"""

# Real input: the Event Timing API reports each click slower than 16 ms (input to next paint).
OBSERVE = """() => {
    window.slowClicks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
            if (entry.name === "click") window.slowClicks.push(entry.duration);
    }).observe({ type: "event", durationThreshold: 16, buffered: true });
}"""


def timed(page: Page, action: str) -> float:
    return float(page.evaluate(TIMED, action))


def click_row(index: int, add: bool = False) -> str:
    rows = "document.querySelectorAll('.clone-list tbody tr[data-id]')"
    init = "{bubbles: true, ctrlKey: true}" if add else "{bubbles: true}"
    return f"{rows}[{index}].dispatchEvent(new MouseEvent('click', {init}))"


def change(select: str, value: str) -> str:
    return (
        f"const s = document.querySelector('{select}'); s.value = '{value}';"
        "s.dispatchEvent(new Event('change', {bubbles: true}))"
    )


def report(name: str, times: list[float]) -> str:
    return f"{name:<28} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms"


def test_a_click_is_answered_fast_on_ten_samples_of_ten_thousand_clones(
    client: ClientPage,
) -> None:
    page = client.open()
    payload: FilePayload = {
        "name": "fused-10x10000.vidjil",
        "mimeType": "application/json",
        "buffer": large_result(SAMPLES, CLONES),
    }
    page.locator("#open-file").set_input_files(files=[payload])
    expect(page.locator(".list-summary")).to_contain_text(f"of {CLONES:,} clones shown")
    page.evaluate(OBSERVE)
    lines = []

    select = [timed(page, click_row(index % 40)) for index in range(12)]
    expect(page.locator(".clone-list tr.selected")).to_have_count(1)
    add = [timed(page, click_row(index + 1, add=True)) for index in range(6)]
    expect(page.locator(".clone-list tr.selected")).to_have_count(7)
    lines += [report("select a clone", select), report("add a clone (Ctrl+click)", add)]

    bubble = "document.querySelector('circle.bubble[data-id=\"clone-3\"]')"
    bubbles = [timed(page, f"{bubble}.dispatchEvent(new MouseEvent('click', {{bubbles: true}}))")]
    expect(page.locator('.clone-list tr[data-id="clone-3"]')).to_have_attribute(
        "aria-selected", "true"
    )
    samples = [timed(page, change("#sample", str(sample))) for sample in (1, 5, 9, 0)]
    expect(page.get_by_label("Sample", exact=True)).to_have_value("0")
    colour = [timed(page, change("#colour-by", "v"))]
    expect(page.get_by_test_id("colour-legend")).to_contain_text("IGHV")
    lines += [
        report("click a bubble", bubbles),
        report("change sample", samples),
        report("colour by V", colour),
    ]

    page.keyboard.press("Escape")
    page.get_by_text("Cluster ▾").click()
    cluster = [timed(page, "document.querySelector('[data-cluster=\"cdr3\"]').click()")]
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_enabled()
    undo = [timed(page, "document.querySelector('[aria-label=\"Undo\"]').click()")]
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_disabled()
    lines += [report("cluster by CDR3 (all)", cluster), report("undo it", undo)]

    # Real mouse clicks on rows: the browser's own input-to-paint timing.
    rows = page.locator(".clone-list tbody tr[data-id]")
    for index in range(8):
        rows.nth(index).click()
    expect(rows.nth(7)).to_have_attribute("aria-selected", "true")
    slow = page.evaluate("window.slowClicks")
    lines.append(f"real clicks over 16 ms        {len(slow)} of 8 {[round(t) for t in slow]}")
    print("\n" + "\n".join(lines))
    for times in (select, add, bubbles):
        assert max(times) < GENEROUS_MS
