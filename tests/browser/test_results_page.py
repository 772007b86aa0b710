"""The results views of a `.vidjil` file in real Chromium: list, graph, selection, sequences."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from .conftest import FIXTURES_DIR, ClientPage
from .viewer_data import large_result

pytestmark = pytest.mark.browser

TWO_SAMPLES = "two-samples-mrd.vidjil"
ONE_SAMPLE = "one-sample.vidjil"
DOMINANT = "igh-dominant"
CIRCLE_HEIGHTS = "circles => circles.map(circle => circle.getAttribute('cy'))"


def row(page: Page, clone_id: str) -> str:
    return f'.clone-list tr[data-id="{clone_id}"]'


def test_list_shows_the_dominant_clone_with_v_j_and_cdr3(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    first = page.locator(".clone-list tbody tr[data-id]").first
    expect(first).to_have_attribute("data-id", DOMINANT)
    cells = first.locator("td")
    # The list implies the usual *01 allele; the full designation is the tooltip.
    expect(cells.nth(0)).to_contain_text("IGHV3-23 2/CCCGGA/4")
    expect(cells.nth(0).locator("span[title]")).to_have_attribute(
        "title", "IGHV3-23*01 2/CCCGGA/4 IGHD3-10*01 6/TCG/5 IGHJ4*02"
    )
    expect(cells.nth(1)).to_have_text("IGH")
    expect(cells.nth(2)).to_have_text("IGHV3-23")
    expect(cells.nth(3)).to_have_text("IGHJ4")
    expect(cells.nth(4)).to_have_text("AKPGYYGSGSYSFDY")
    expect(cells.nth(6)).to_have_text("10,000")
    expect(cells.nth(7)).to_have_text("20.0%")
    expect(page.get_by_test_id("source-name")).to_have_text(TWO_SAMPLES)
    reads = page.get_by_test_id("sample-reads")
    expect(reads).to_have_text("50,000 of 52,000 reads segmented (96.2%)")


def test_graph_follows_the_dominant_clone_in_both_samples(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    graph = page.get_by_test_id("graph-svg")
    expect(graph).to_be_visible()
    curve = graph.locator(f'g[data-id="{DOMINANT}"]')
    expect(curve.locator("circle")).to_have_count(2)
    title = curve.locator("title").text_content() or ""
    assert "Diagnosis: 20.0%" in title
    assert "Day 35 MRD: 0.10%" in title
    # Both points are above the "not detected" band: the clone is measured in both samples.
    band_top = float(graph.locator("rect.undetected").get_attribute("y") or "0")
    heights = [float(y) for y in curve.locator("circle").evaluate_all(CIRCLE_HEIGHTS)]
    assert all(height < band_top for height in heights)
    assert heights[0] < heights[1], "the clone falls from diagnosis to follow-up"
    expect(graph.locator("g.tick", has_text="Day 35 MRD")).to_contain_text("2026-02-16 (day 35)")


LABEL_BOXES = """labels => labels.map(label => {
    const box = label.getBoundingClientRect();
    return [box.left, box.right];
})"""


def test_long_sample_names_and_dates_under_the_graph_do_not_overlap(client: ClientPage) -> None:
    """Samples named by their files (a sequencer's names) ran into each other under the graph,
    and so did their dates with the day of the follow-up."""
    fixture = json.loads((FIXTURES_DIR / TWO_SAMPLES).read_text())
    long_names = [
        "230612_M01234_0042_S3_L001_R1_001.fastq.gz",
        "230915_M01234_0057_S8_L001_R1.fastq.gz",
    ]
    fixture["samples"]["names"] = long_names
    client.page.route(
        re.compile(r"^[^?]*/data/two-samples-mrd\.vidjil$"),
        lambda route: route.fulfill(json=fixture, headers={"content-type": "application/json"}),
    )
    page = client.open_fixture(TWO_SAMPLES)
    graph = page.get_by_test_id("graph-svg")
    labels = graph.locator("g.axis.x g.tick text")
    expect(labels).to_have_count(2)
    first, second = labels.evaluate_all(LABEL_BOXES)
    assert first[1] <= second[0], f"the labels overlap: {first} and {second}"
    expect(labels.nth(0).locator("title")).to_have_text(long_names[0])
    expect(labels.nth(1)).to_contain_text("2026-02-16 (day 35)")


LABEL_EXTENTS = """graph => {
    const svg = graph.getBoundingClientRect();
    const labels = [...graph.querySelectorAll("g.axis.x g.tick text")].map(label => {
        const box = label.getBoundingClientRect();
        return [label.textContent, box.left, box.right, box.top, box.bottom];
    });
    return { svg: [svg.left, svg.right, svg.bottom], labels };
}"""


@pytest.mark.parametrize("samples", [4, 6])
def test_a_follow_up_of_several_samples_shows_every_date_apart_at_1280(
    client: ClientPage, tmp_path: Path, samples: int
) -> None:
    """At 1,280 px, four samples' dates ran into each other ('2026-01-0526-02-16'), and from five
    samples on the names were slanted over each other, cut at the bottom, without their dates."""
    document = json.loads(large_result(samples=samples, clones=20))
    document["samples"]["original_names"] = [
        f"ALL-2026-014_fu{i}_S{i + 1}_L001_R1_001.fastq.gz" for i in range(samples)
    ]
    path = tmp_path / "follow-up.vidjil"
    path.write_text(json.dumps(document))
    page = client.open()
    page.locator("#open-file").set_input_files(str(path))
    graph = page.get_by_test_id("graph-svg")
    expect(graph.locator("g.axis.x g.tick")).to_have_count(samples)
    extents = graph.evaluate(LABEL_EXTENTS)
    left, right, bottom = extents["svg"]
    labels = extents["labels"]
    dates = [date[:10] for date in document["samples"]["timestamp"]]
    assert [date in label[0] for label, date in zip(labels, dates, strict=True)] == [True] * samples
    for text, start, end, _, low in labels:
        assert left <= start and end <= right and low <= bottom, f"{text} is cut"
    for one, other in itertools.pairwise(labels):
        assert one[2] <= other[1], f"{one} and {other} overlap"


def test_selecting_a_clone_highlights_it_in_every_view_with_its_sequence(
    client: ClientPage,
) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator(row(page, DOMINANT)).click()
    expect(page.locator(row(page, DOMINANT))).to_have_attribute("aria-selected", "true")
    expect(page.locator(f'circle.bubble[data-id="{DOMINANT}"]')).to_have_class(
        re.compile("selected")
    )
    expect(page.locator(f'g[data-id="{DOMINANT}"] path')).to_have_class(re.compile("selected"))
    line = page.get_by_test_id("sequence-view").locator(f'.sequence-line[data-id="{DOMINANT}"]')
    expect(line).to_be_visible()
    for region in ("v", "n", "d", "j"):
        expect(line.locator(f".region-{region}").first).to_be_visible()
    cdr3 = "".join(line.locator(".cdr3").all_text_contents())
    assert len(cdr3) == 45  # AKPGYYGSGSYSFDY: 15 codons
    page.get_by_role("tab", name="Clone info").click()
    info = page.get_by_test_id("clone-info")
    expect(info).to_contain_text("CAKPGYYGSGSYSFDYW")
    expect(info).to_contain_text("IGHD3-10*01")


def test_clicking_a_bubble_selects_the_clone_in_the_list(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator('circle.bubble[data-id="trg-1"]').click()
    expect(page.locator(row(page, "trg-1"))).to_have_attribute("aria-selected", "true")


def test_second_clone_aligns_on_the_first(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator(row(page, DOMINANT)).click()
    page.locator(row(page, "igh-4")).click(modifiers=["Control"])
    lines = page.get_by_test_id("sequence-view").locator(".sequence-line")
    expect(lines).to_have_count(2)
    # Same V gene: most of the second line is dots (matches), with mismatches in the junction.
    second = lines.nth(1).locator("code").text_content() or ""
    assert second.count(".") > 40
    assert re.search("[ACGT]", second)


def test_one_sample_file_opened_with_the_file_picker_has_no_graph(client: ClientPage) -> None:
    page = client.open()
    expect(page.get_by_role("heading", name="Open an analysis result")).to_be_visible()
    page.locator("#open-file").set_input_files(str(FIXTURES_DIR / ONE_SAMPLE))
    expect(page.locator(".clone-list tbody tr[data-id]")).to_have_count(6)
    expect(page.get_by_test_id("graph-svg")).to_be_hidden()
    expect(page.get_by_test_id("grid-svg").locator("circle.bubble")).to_have_count(6)


def test_search_filters_and_sample_switch(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    rows = page.locator(".clone-list tbody tr[data-id]")
    expect(rows).to_have_count(11)
    search = page.get_by_label("Search clones by name, CDR3 or sequence")
    search.fill("QQYNSSWT")  # CDR3 amino acids
    expect(rows).to_have_count(1)
    search.fill("GGTTCGGGGAGTTATTCG")  # a DNA stretch of the dominant clone's D region
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-id", DOMINANT)
    search.fill("")
    page.locator('input[data-locus="IGH"]').uncheck()
    expect(page.locator(".clone-list td:nth-child(2)", has_text="IGH")).to_have_count(0)
    page.locator('input[data-locus="IGH"]').check()
    page.get_by_label("productive only").check()
    expect(page.locator(row(page, "igh-3-unprod"))).to_have_count(0)
    page.get_by_label("productive only").uncheck()
    page.get_by_label("Sample", exact=True).select_option(label="Day 35 MRD")
    expect(rows.first).to_have_attribute("data-id", "trg-1")


def test_keyboard_selects_rows_and_changes_samples(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator(".clone-list tbody tr[data-id]").first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    second = page.locator(".clone-list tbody tr[data-id]").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.locator(".clone-list tr.selected")).to_have_count(0)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Sample", exact=True)).to_have_value("1")


def test_merge_rename_and_tag_the_selection(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator(row(page, DOMINANT)).click()
    page.locator(row(page, "igh-4")).click(modifiers=["Control"])
    page.get_by_role("button", name="Merge").click()
    merged = page.locator(row(page, DOMINANT))
    expect(merged).to_contain_text("▸ 2")
    expect(page.locator(row(page, "igh-4"))).to_have_count(0)
    expect(merged.locator("td").nth(6)).to_have_text("10,150")
    page.get_by_label("New name of the selected clone").fill("Leukaemic clone")
    page.get_by_role("button", name="Rename").click()
    expect(merged.locator("td").first).to_contain_text("Leukaemic clone")
    page.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    expect(merged).to_contain_text("dominant clone")
    page.get_by_role("button", name="Split").click()
    expect(page.locator(row(page, "igh-4"))).to_have_count(1)


def test_read_statistics_explain_unsegmented_reads(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_role("tab", name="Read statistics").click()
    stats = page.get_by_test_id("read-stats")
    expect(stats).to_contain_text("50,000 of 52,000 reads segmented (96.2%)")
    expect(stats).to_contain_text("too few V/J")
    expect(stats).to_contain_text("Not segmented: 4,000 reads")


def test_a_missing_file_shows_a_readable_error(client: ClientPage) -> None:
    page = client.open("?vidjil=/data/missing.vidjil")
    expect(page.get_by_role("alert")).to_contain_text("Cannot open /data/missing.vidjil")
    # Chromium logs the 404 itself; that one is expected here.
    assert all("404" in error for error in client.console_errors)
    client.console_errors.clear()


def test_requests_leaving_loopback_are_blocked(client: ClientPage) -> None:
    page = client.open()
    failed = page.evaluate("fetch('http://example.invalid/x').then(() => false, () => true)")
    assert failed
    assert client.blocked_requests == ["http://example.invalid/x"]
    client.blocked_requests.clear()
    client.console_errors.clear()


def test_vidjil_and_analysis_files_open_together(client: ClientPage) -> None:
    page = client.open()
    page.locator("#open-file").set_input_files(
        [str(FIXTURES_DIR / TWO_SAMPLES), str(FIXTURES_DIR / "two-samples-mrd.analysis")]
    )
    dominant = page.locator(row(page, DOMINANT))
    expect(dominant.locator("td").first).to_contain_text("P042 leukaemic clone")
    expect(dominant).to_contain_text("dominant clone")
    expect(dominant).to_contain_text("▸ 2")
    expect(page.locator(row(page, "igh-4"))).to_have_count(0)


def test_dropping_a_file_opens_it(client: ClientPage) -> None:
    page = client.open()
    text = (FIXTURES_DIR / ONE_SAMPLE).read_text()
    transfer = page.evaluate_handle(
        """text => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "dropped.vidjil", { type: "application/json" }));
            return transfer;
        }""",
        text,
    )
    page.dispatch_event("body", "drop", {"dataTransfer": transfer})
    expect(page.get_by_test_id("source-name")).to_have_text("dropped.vidjil")
    expect(page.locator(".clone-list tbody tr[data-id]")).to_have_count(6)


def test_a_file_that_is_not_vidjil_is_refused_with_the_reason(client: ClientPage) -> None:
    page = client.open()
    not_vidjil: FilePayload = {
        "name": "notes.vidjil",
        "mimeType": "application/json",
        "buffer": b'{"a": 1}',
    }
    page.locator("#open-file").set_input_files(files=[not_vidjil])
    expect(page.get_by_role("alert")).to_have_text(
        "Cannot open notes.vidjil: vidjil_json_version is missing"
    )


def test_an_airr_table_opened_as_a_file_says_how_to_import_it(client: ClientPage) -> None:
    """It said: not a JSON file (Unexpected token 's', "sequence_i"... is not valid JSON)."""
    page = client.open()
    table: FilePayload = {
        "name": "sample.airr.tsv",
        "mimeType": "text/tab-separated-values",
        "buffer": b"sequence_id\tsequence\tv_call\nr1\tACGT\tIGHV1-2*01\n",
    }
    page.locator("#open-file").set_input_files(files=[table])
    expect(page.get_by_role("alert")).to_contain_text(
        "Cannot open sample.airr.tsv: this is a table (AIRR or MiXCR), not a .vidjil file"
    )
    expect(page.get_by_role("alert")).to_contain_text("launch the import config")


def test_a_link_to_another_server_is_refused(client: ClientPage) -> None:
    page = client.open("?vidjil=http://example.invalid/result.vidjil")
    expect(page.get_by_role("alert")).to_contain_text("only files from this server")
    assert client.blocked_requests == []


def test_report_page_keeps_the_analysis_and_comes_back(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.locator(row(page, "trg-2")).click()
    page.get_by_label("Tag the selected clones").select_option(label="clonotype 2")
    page.get_by_role("link", name="Report").click()
    report = page.locator("main.report")
    # two samples: the report opens on the follow-up template
    expect(report.get_by_role("heading", name="Follow-up of the clones")).to_be_visible()
    expect(report.get_by_test_id("graph-svg")).to_be_visible()
    tagged = report.locator("tr", has_text="clonotype 2")
    expect(tagged).to_contain_text("TRGV8*01")
    dominant = report.locator("tr", has_text="IGHD3-10*01").first
    expect(dominant).to_contain_text("20.0%")
    expect(dominant).to_contain_text("0.10%")
    # Printing hides the page's buttons and gives a real PDF document.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    assert page.pdf()[:5] == b"%PDF-"
    page.emulate_media(media="screen")
    page.get_by_role("link", name="← Back to the results").click()
    expect(page.locator(row(page, "trg-2"))).to_contain_text("clonotype 2")
    expect(page.locator(row(page, "trg-2"))).to_have_attribute("aria-selected", "true")


def test_grid_compares_two_samples_and_graph_picks_the_sample(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_label("Grid X axis").select_option(label="Size (% of reads)")
    page.get_by_label("Grid Y axis").select_option(label="Size in next sample (%)")
    grid = page.get_by_test_id("grid-svg")
    # Clones absent from one of the two samples cannot be placed: 11 clones, 2 absent.
    expect(grid.locator("circle.bubble")).to_have_count(9)
    expect(grid.locator(".axis.y")).to_contain_text("0.1%")
    page.get_by_test_id("graph-svg").locator("g.tick", has_text="Day 35 MRD").click()
    expect(page.get_by_label("Sample", exact=True)).to_have_value("1")
    expect(page.locator(".clone-list tbody tr[data-id]").first).to_have_attribute(
        "data-id", "trg-1"
    )


def test_dragging_a_rectangle_on_the_grid_selects_the_bubbles_inside(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    first = page.locator('circle.bubble[data-id="igh-2"]').bounding_box()
    second = page.locator('circle.bubble[data-id="igh-4"]').bounding_box()
    assert first is not None and second is not None
    page.mouse.move(first["x"] - 12, first["y"] - 12)
    page.mouse.down()
    page.mouse.move(
        second["x"] + second["width"] + 12, second["y"] + second["height"] + 12, steps=5
    )
    page.mouse.up()
    selected = page.locator(".clone-list tr.selected")
    expect(selected).to_have_count(2)
    assert sorted(selected.evaluate_all("rows => rows.map(r => r.dataset.id)")) == [
        "igh-2",
        "igh-4",
    ]


def test_focus_and_hide_the_selection(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    rows = page.locator(".clone-list tbody tr[data-id]")
    page.locator(row(page, DOMINANT)).click()
    page.locator(row(page, "trg-1")).click(modifiers=["Control"])
    page.keyboard.press("z")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("grid-svg").locator("circle.bubble")).to_have_count(2)
    page.get_by_role("button", name="focus on 2 ✕").click()
    expect(rows).to_have_count(11)
    page.locator(row(page, "trg-1")).click()
    page.get_by_role("button", name="Hide", exact=True).click()
    expect(rows).to_have_count(10)
    expect(page.locator(row(page, "trg-1"))).to_have_count(0)
    page.get_by_role("button", name="1 hidden ✕").click()
    expect(rows).to_have_count(11)


def test_view_preferences_are_remembered(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_label("Grid Y axis").select_option(label="CDR3 length (nt)")
    page.get_by_label("Show top clones").select_option(label="top 10")
    page.get_by_role("link", name="Report").click()
    page.get_by_role("link", name="← Back to the results").click()
    page.get_by_role("button", name="CDR3").click()
    page = client.open_fixture(ONE_SAMPLE)
    expect(page.get_by_label("Grid Y axis")).to_have_value("cdr3-length")
    expect(page.get_by_label("Show top clones")).to_have_value("10")
    expect(page.locator("th[aria-sort]")).to_contain_text("CDR3")


def test_bar_plot_of_the_cdr3_length_distribution(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_label("Grid or bar plot").select_option(label="Bars")
    page.get_by_label("Grid X axis").select_option(label="CDR3 length (nt)")
    expect(page.get_by_label("Grid Y axis")).to_be_hidden()
    grid = page.get_by_test_id("grid-svg")
    # The ten clones present at diagnosis, one stacked segment each.
    expect(grid.locator("rect.bar-segment")).to_have_count(10)
    grid.locator(f'rect.bar-segment[data-id="{DOMINANT}"]').click()
    expect(page.locator(row(page, DOMINANT))).to_have_attribute("aria-selected", "true")
    expect(grid.locator(f'rect.bar-segment[data-id="{DOMINANT}"]')).to_have_class(
        re.compile("selected")
    )


def test_question_mark_lists_the_keyboard_shortcuts(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("merge the selected clones")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()


def test_grid_axes_for_gc_content_and_number_of_samples(client: ClientPage) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_label("Grid X axis").select_option(label="Number of samples")
    page.get_by_label("Grid Y axis").select_option(label="GC content (%)")
    grid = page.get_by_test_id("grid-svg")
    expect(grid.locator(".axis.x")).to_contain_text("2")
    expect(grid.locator("circle.bubble")).to_have_count(10)


def test_read_statistics_of_a_paired_sample_show_the_merging(client: ClientPage) -> None:
    """`samples._merging` (paired-end reads): pairs merged, not merged by reason, overlaps."""
    page = client.open_fixture("paired-sample.vidjil")
    page.get_by_role("tab", name="Read statistics").click()
    merging = page.get_by_test_id("pair-merging")
    expect(merging).to_contain_text("Paired-end reads: 300 pairs")
    merged = page.get_by_role("rowheader", name="merged", exact=True)
    expect(merging.get_by_role("row").filter(has=merged)).to_contain_text("92.3%")
    expect(merging).to_contain_text("not merged: no overlap")
    expect(merging).to_contain_text("unmerged pairs: their R1 analysed")
    expect(page.get_by_test_id("read-stats")).to_contain_text("reads segmented")
