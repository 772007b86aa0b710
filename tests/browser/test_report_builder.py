"""The report builder on a result opened from files: a report from a template, saved in the
`.analysis` the browser downloads, and reopened with it (on a server's set: test_lab_tools)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from .conftest import FIXTURES_DIR, ClientPage
from .viewer_data import large_result

TWO_SAMPLES = "two-samples-mrd.vidjil"


def test_a_diagnosis_report_of_a_file_is_saved_in_its_analysis_and_reopened(
    client: ClientPage, tmp_path: Path
) -> None:
    page = client.open_fixture(TWO_SAMPLES)
    page.get_by_role("link", name="Report").click()
    builder = page.get_by_role("region", name="Report builder")
    builder.get_by_label("Template").select_option(label="Diagnosis")
    sample = builder.get_by_label("Sample of the report")
    sample.select_option(index=2)  # the second sample (the first option is "every sample")
    follow_up = sample.input_value()
    builder.get_by_role("button", name="New report").click()
    expect(page.locator(".report-block")).to_have_count(6)
    expect(page.locator(".report-block[data-block=sample_info]")).to_contain_text(follow_up)
    expect(page.locator(".report-block[data-block=monitor]")).to_have_count(0)
    # the clone table gives the share in that sample only
    expect(page.locator(".report-block[data-block=clones] thead th.numeric")).to_have_count(1)
    expect(page.locator(".report-block[data-block=log_db]")).to_have_count(0)
    comment = "Diagnosis: one dominant IGH clone."
    page.get_by_role("textbox", name="Comment (block 6)").fill(comment)
    with page.expect_download() as info:
        builder.get_by_role("button", name="Save the report").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "two-samples-mrd.analysis"
    (report,) = json.loads(saved.read_text())["report_save"].values()
    assert report["template"] == "diagnosis" and report["sample"] == follow_up
    assert {"blockType": "comment", "text": comment} in report["blocks"]

    page = client.open()
    page.locator("#open-file").set_input_files([str(FIXTURES_DIR / TWO_SAMPLES), str(saved)])
    page.wait_for_selector(".clone-list tbody tr[data-id]")
    page.get_by_role("link", name="Report").click()
    page.get_by_label("Saved reports").select_option(label=report["name"])
    expect(page.get_by_role("textbox", name="Comment (block 6)")).to_have_value(comment)
    expect(page.locator(".report-block[data-block=sample_info]")).to_contain_text(follow_up)


# The width a browser lays an A4 page out in when it prints it (210 mm at 96 px per inch, less
# Chromium's default margins of 1 cm on each side).
A4_PRINTED_WIDTH = 718


def test_a_follow_up_report_of_four_samples_fits_the_printed_page(
    client: ClientPage, tmp_path: Path
) -> None:
    """A follow-up's clone table has a column per sample: with four samples named as sequencers
    name their files, the last column (the latest MRD value) was printed off the paper."""
    document = json.loads(large_result(samples=4, clones=12))
    document["samples"]["original_names"] = [
        f"ALL-2026-014_{name}_S{i + 1}_L001_R1_001.fastq.gz"
        for i, name in enumerate(["diagnosis", "day42", "day98", "day182"])
    ]
    path = tmp_path / "follow-up.vidjil"
    path.write_text(json.dumps(document))
    page = client.open()
    page.locator("#open-file").set_input_files(str(path))
    page.wait_for_selector(".clone-list tbody tr[data-id]")
    page.get_by_role("link", name="Report").click()
    builder = page.get_by_role("region", name="Report builder")
    builder.get_by_label("Template").select_option(label="Follow-up (MRD)")
    builder.get_by_role("button", name="New report").click()
    last_sample = page.locator(".report-block[data-block=clones] thead th").last
    expect(last_sample).to_have_text(document["samples"]["original_names"][3])

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTED_WIDTH, "height": 1000})
    document_width = page.evaluate("document.documentElement.scrollWidth")
    box = last_sample.bounding_box()
    assert box is not None
    assert document_width <= A4_PRINTED_WIDTH
    assert box["x"] + box["width"] <= A4_PRINTED_WIDTH
