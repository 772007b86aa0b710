"""Paired mode takes the R1 and R2 files of several samples at once: dropped together, they are
matched by name and previewed, each pair becomes one sample named from the common part (each file
keeping its own name: shown, downloaded, chosen again to resume), and a file without its mate is
listed with the reason and never sent. Both samples are analysed from their merged pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app_process import serving

from .conftest import REPOSITORY, ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, log_in, shoot
from .test_vidjil_file_upload import admin_http, new_set

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GOLDEN = REPOSITORY / "tests" / "data" / "golden"
JOBS_TIMEOUT_MS = 120_000


def run_folder(folder: Path) -> list[Path]:
    """Two samples named as a MiSeq and as an SRA download name their mates, and an R1 whose
    R2 was left behind."""
    mates = {
        "PAT1-diag_S1_L001_R1_001.fastq": "paired-igh_R1.fastq",
        "PAT1-diag_S1_L001_R2_001.fastq": "paired-igh_R2.fastq",
        "PAT2_1.fq": "paired-igh_R1.fastq",
        "PAT2_2.fq": "paired-igh_R2.fastq",
        "PAT3_R1.fastq": "paired-igh_R1.fastq",
    }
    for name, source in mates.items():
        (folder / name).write_bytes((GOLDEN / source).read_bytes())
    return [folder / name for name in sorted(mates, reverse=True)]


@pytest.fixture(scope="module")
def paired_server(tmp_path_factory: pytest.TempPathFactory, built_client: Path) -> Iterator[str]:
    """A real server process on a fresh data dir, whose network folder holds such a run."""
    folder = tmp_path_factory.mktemp("paired")
    run = folder / "network" / "run-7"
    run.mkdir(parents=True)
    run_folder(run)
    env = {"VIDJIL_WORKERS_POOL": "2", "VIDJIL_FILE_SOURCE": str(folder / "network")}
    with serving(folder / "data", folder / "serve.log", env=env) as url:
        yield url


def open_new_set(client: ClientPage, server: str, name: str) -> int:
    ensure_admin(server)
    set_id = new_set(server, name)
    client.page.goto(server + f"#/set?id={set_id}")
    log_in(client.page, ADMIN_EMAIL, ADMIN_PASSWORD)
    client.page.get_by_label("Paired-end").check()
    return set_id


def test_two_pairs_and_a_stray_file_dropped_at_once(
    client: ClientPage, paired_server: str, tmp_path: Path
) -> None:
    set_id = open_new_set(client, paired_server, "paired run")
    page = client.page
    page.locator("input[type=file]").set_input_files(run_folder(tmp_path))

    preview = page.get_by_role("region", name="Paired samples to add")
    expect(preview.locator(".pairs-table tbody tr")).to_have_count(2)
    first = preview.get_by_label(re.compile("^Sample name of PAT1-diag"))
    expect(first).to_have_value("PAT1-diag_S1_L001.fastq")
    second = preview.get_by_label("Sample name of PAT2_1.fq and PAT2_2.fq")
    expect(second).to_have_value("PAT2.fq")
    reason = "not uploaded: no mate found (expected PAT3_R2.fastq with it)"  # nothing else lost
    expect(preview.get_by_role("list", name="Files left out")).to_have_text(
        f"PAT3_R1.fastq: {reason}"
    )
    expect(page.get_by_role("button", name="Upload 2 paired samples")).to_be_focused()
    shoot(page, "lab-paired-preview")
    second.fill("PAT2 follow-up.fq")  # the name is the lab's to change
    page.get_by_role("button", name="Upload 2 paired samples").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Not uploaded (no sure R1/R2 pair): PAT3_R1.fastq"
    )
    refused = page.locator(".uploads li.failed")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("PAT3_R1.fastq")
    expect(refused.locator(".upload-note")).to_have_text(reason)
    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(2)
    expect(samples.locator(".status-ready")).to_have_count(2, timeout=30_000)
    expect(samples.nth(0).locator(".files > div")).to_have_text(
        ["R1: PAT1-diag_S1_L001_R1_001.fastq", "R2: PAT1-diag_S1_L001_R2_001.fastq"]
    )
    expect(samples.nth(1)).to_contain_text("PAT2 follow-up.fq")
    expect(samples.nth(1).locator(".files > div")).to_have_text(["R1: PAT2_1.fq", "R2: PAT2_2.fq"])
    page.locator(".samples-table").evaluate("table => table.scrollIntoView({block: 'center'})")
    shoot(page, "lab-paired-samples")
    with page.expect_download() as download:
        samples.nth(1).get_by_role("link", name="R1").click()
    assert download.value.suggested_filename == "PAT2_1.fq", "the file as the sequencer named it"

    page.get_by_label("Analysis config").select_option(label="IGH - IGH only, 60-nt windows.")
    page.get_by_role("button", name="Launch analysis").click()
    expect(page.get_by_role("status")).to_contain_text("2 analysis jobs queued.")
    jobs = page.locator(".jobs-table tbody tr[data-status=completed]", has_text="· analysis")
    expect(jobs).to_have_count(2, timeout=JOBS_TIMEOUT_MS)
    expect(page.locator(".jobs-table tbody tr[data-status=failed]")).to_have_count(0)

    with admin_http(paired_server) as http:
        made = http.get(f"api/sample-sets/{set_id}/samples").json()
        assert [(s["original_name"], s["original_name1"], s["original_name2"]) for s in made] == [
            (
                "PAT1-diag_S1_L001.fastq",
                "PAT1-diag_S1_L001_R1_001.fastq",
                "PAT1-diag_S1_L001_R2_001.fastq",
            ),
            ("PAT2 follow-up.fq", "PAT2_1.fq", "PAT2_2.fq"),
        ], "the stray R1 never reached the server"
        results = http.get(f"api/sample-sets/{set_id}/result-files").json()
        assert len(results) == 2
        for result in results:
            document = http.get(f"api/results/{result['id']}/vidjil").json()
            assert document["samples"]["_merging"][0]["pairs"] == 300, "merged pairs analysed"
    assert client.console_errors == []


def test_two_pairs_and_a_stray_file_ticked_in_the_network_folder(
    client: ClientPage, paired_server: str
) -> None:
    set_id = open_new_set(client, paired_server, "paired run from the network")
    page = client.page
    page.get_by_role("button", name="Pick from the network folder").click()
    page.get_by_role("button", name="📁 run-7").click()
    boxes = page.locator(".source-list").get_by_role("checkbox")
    expect(boxes).to_have_count(5)
    for box in boxes.all():
        box.check()
    page.get_by_role("button", name="Add the ticked files").click()

    preview = page.get_by_role("region", name="Paired samples to add")
    expect(preview.locator(".pairs-table tbody tr")).to_have_count(2)
    expect(preview.get_by_label("Sample name of PAT2_1.fq and PAT2_2.fq")).to_have_value("PAT2.fq")
    left_out = page.get_by_role("list", name="Files left out")
    expect(left_out).to_have_text(re.compile(r"^PAT3_R1\.fastq: not added: no mate found"))
    page.get_by_role("button", name="Add 2 paired samples").click()

    expect(page.get_by_role("status")).to_have_text("Added 2 sample(s) from the network folder.")
    expect(left_out).to_be_visible()  # still said once the others are added
    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(2)
    expect(samples.filter(has_text="network folder").locator(".status-ready")).to_have_count(2)
    with admin_http(paired_server) as http:
        made = http.get(f"api/sample-sets/{set_id}/samples").json()
    assert [(s["original_name"], s["original_name1"], s["original_name2"]) for s in made] == [
        (
            "PAT1-diag_S1_L001.fastq",
            "PAT1-diag_S1_L001_R1_001.fastq",
            "PAT1-diag_S1_L001_R2_001.fastq",
        ),
        ("PAT2.fq", "PAT2_1.fq", "PAT2_2.fq"),
    ]
    assert all(sample["network"] for sample in made)
    expect(samples.nth(0).locator(".files")).to_contain_text("R1: PAT1-diag_S1_L001_R1_001.fastq")
    assert client.console_errors == []


def test_a_cut_paired_upload_resumes_with_its_files_chosen_again(
    client: ClientPage, paired_server: str, tmp_path: Path
) -> None:
    """A pair named from its common part (the page closed after half of its R1 was sent): its
    files are asked for by their own names, and the upload goes on from the bytes the server
    kept."""
    files = {path.name: path for path in run_folder(tmp_path)}
    r1, r2 = files["PAT2_1.fq"], files["PAT2_2.fq"]
    set_id = open_new_set(client, paired_server, "paired run cut off")
    content = r1.read_bytes()
    half = len(content) // 2
    with admin_http(paired_server) as http:
        names = {
            "original_name": "PAT2.fq",
            "original_name1": "PAT2_1.fq",
            "original_name2": "PAT2_2.fq",
        }
        sample = http.post(f"api/sample-sets/{set_id}/samples", json=names).json()
        sent = {"Content-Range": f"bytes 0-{half - 1}/{len(content)}"}
        upload = f"api/samples/{sample['id']}/files/1"
        http.put(upload, content=content[:half], headers=sent).raise_for_status()
    page = client.page
    page.reload()
    resume = page.get_by_role("button", name="Resume upload")

    with page.expect_file_chooser() as chooser:
        resume.click()
    chooser.value.set_files([r2, files["PAT3_R1.fastq"]])
    expect(page.get_by_role("alert")).to_have_text(
        "To resume, choose PAT2_1.fq and PAT2_2.fq again."
    )
    with page.expect_file_chooser() as chooser:
        resume.click()
    chooser.value.set_files([r2, r1])
    expect(page.locator(".uploads")).to_contain_text(f"received (resumed at {half} bytes)")
    expect(page.locator(".samples-table .status-ready")).to_have_count(1)
    with admin_http(paired_server) as http:
        [made] = http.get(f"api/sample-sets/{set_id}/samples").json()
    assert (made["original_name"], made["received"], made["received2"]) == ("PAT2.fq", True, True)
    assert made["original_name1"] == "PAT2_1.fq"
    assert client.console_errors == []
