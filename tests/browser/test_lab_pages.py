"""The lab pages against a real `vidjil-local serve` process: first start, a patient, two FASTQ
uploads (one of them cut by a dropped connection and resumed from the bytes the server kept),
the IGH analysis with its live job list, then "open results" shows the dominant clone in both
samples. Also the login messages (wrong password, expired session, logout).

`UPDATE_SCREENSHOTS=1` also writes the screenshots of these pages to docs/screenshots/."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

import airr
import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from tests.app_process import serving

from .conftest import REPOSITORY, ClientPage
from .test_exports import export

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAB = REPOSITORY / "tests" / "data" / "lab"
ADMIN_EMAIL = "admin@lab.example"
ADMIN_PASSWORD = "correct horse battery"
JOBS_TIMEOUT_MS = 240_000


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory, built_client: Path) -> Iterator[str]:
    """A real server process on a fresh data dir, shared by this module's tests (in order)."""
    folder = tmp_path_factory.mktemp("lab-pages")
    data_dir = folder / "data"
    log = folder / "serve.log"
    # The network folder users may pick from (file_source), with one sample in a subfolder.
    source = folder / "network" / "run-42"
    source.mkdir(parents=True)
    (source / "diagnosis.fastq.gz").write_bytes((LAB / "diagnosis.fastq.gz").read_bytes())
    with serving(
        data_dir,
        log,
        env={"VIDJIL_WORKERS_POOL": "2", "VIDJIL_FILE_SOURCE": str(folder / "network")},
    ) as url:
        yield url


def shoot(page: Page, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        target = REPOSITORY / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"))


def log_in(page: Page, email: str, password: str) -> None:
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def only_refusals_logged(client: ClientPage, *statuses: str) -> None:
    """The browser logs each refused request; those expected here are all it may log."""
    assert all(any(status in error for status in statuses) for error in client.console_errors)
    client.console_errors.clear()


def ensure_admin(base_url: str) -> None:
    """The first test creates the administrator in the browser; a test run alone does it here."""
    with httpx.Client(base_url=base_url) as http:
        if not http.get("api/auth/status").json()["needs_setup"]:
            return
        token = http.cookies.get("csrftoken") or ""
        body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        http.post("api/auth/setup", json=body, headers={"x-csrftoken": token}).raise_for_status()


def dominant_truth() -> dict[str, str]:
    with (LAB / "diagnosis.truth.tsv").open(newline="") as handle:
        return max(csv.DictReader(handle, delimiter="\t"), key=lambda row: int(row["reads"]))


class DroppedConnection:
    """Lets the server receive the first half of the first upload of file 1, then drops the
    connection before the browser gets an answer, as a network cut would."""

    def __init__(self) -> None:
        self.cut_at: int | None = None

    def __call__(self, route: Route) -> None:
        request = route.request
        body = request.post_data_buffer or b""
        if request.method != "PUT" or self.cut_at is not None or len(body) < 2:
            route.continue_()
            return
        self.cut_at = len(body) // 2
        headers = {**request.headers, "content-range": f"bytes 0-{self.cut_at - 1}/{len(body)}"}
        route.fetch(headers=headers, post_data=body[: self.cut_at])
        route.abort("connectionreset")


def test_first_start_patient_uploads_analysis_and_results(
    client: ClientPage, lab_server: str, tmp_path: Path
) -> None:
    page = client.page
    page.goto(lab_server + "#/home")
    expect(page).to_have_url(re.compile("#/setup$"))
    expect(page.get_by_role("heading", name="Welcome to Vidjil local")).to_be_visible()
    shoot(page, "lab-first-start")
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("First name").fill("Marie")
    page.get_by_label("Last name").fill("Curie")
    page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create the administrator account").click()

    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Research use only")
    expect(page.locator(".lab-user")).to_contain_text("Marie Curie (admin)")
    page.get_by_role("button", name="New patient").click()
    page.get_by_label("Patient id").fill("P-7")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Birth date").fill("1980-12-10")
    page.get_by_label("Information (#tags)").fill("ALL follow-up #mrd")
    page.get_by_role("button", name="Create the patient").click()
    expect(page.get_by_role("status")).to_have_text("Created the patient.")
    page.get_by_role("button", name="Batch paste").click()
    page.get_by_label("Rows pasted from a spreadsheet").fill(
        "P-8\tGrace\tHopper\t1975-01-02\tB-ALL #mrd #relapse\nP-9\tAlan\tTuring\t\tT-ALL #diagnosis"
    )
    page.get_by_role("button", name="Create these rows").click()
    expect(page.get_by_role("status")).to_have_text("Created 2 patients.")
    expect(page.locator(".sets-table tbody tr")).to_have_count(3)
    shoot(page, "lab-patients")
    page.get_by_role("button", name="#relapse").click()
    expect(page.get_by_label("Search patients")).to_have_value("#relapse")
    expect(page.locator(".sets-table tbody tr")).to_have_count(1)
    expect(page.locator(".sets-table tbody tr")).to_contain_text("Grace Hopper")
    page.get_by_label("Search patients").fill("#mrd -relapse")
    expect(page.locator(".sets-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="P-7").click()
    expect(page.get_by_role("heading", name="Patient Ada Lovelace")).to_be_visible()

    dropped = DroppedConnection()
    page.route(re.compile(r"/api/samples/\d+/files/1$"), dropped)
    page.get_by_label("Sampling date").fill("2026-01-05")
    page.locator("input[type=file]").set_input_files(
        [LAB / "diagnosis.fastq.gz", LAB / "follow-up.fastq.gz"]
    )
    uploads = page.locator(".uploads li")
    expect(uploads).to_have_count(2)
    for upload in uploads.all():
        expect(upload.locator(".upload-note")).to_contain_text("100%", timeout=30_000)
    assert dropped.cut_at is not None, "no upload went through the dropped connection"
    expect(page.locator(".uploads")).to_contain_text(f"resumed at {dropped.cut_at} bytes")
    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(2)
    expect(samples.locator(".status-ready")).to_have_count(2, timeout=30_000)
    page.get_by_label("Sampling date of follow-up.fastq.gz").fill("2026-03-02")
    expect(page.get_by_role("status")).to_have_text("Sampling date of follow-up.fastq.gz saved.")
    # The connection reset of the cut upload is the only error the console may show.
    assert all("ERR_CONNECTION_RESET" in error for error in client.console_errors)
    client.console_errors.clear()

    page.get_by_label("Analysis config").select_option(label="IGH - IGH only, 60-nt windows.")
    page.get_by_role("button", name="Launch analysis").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ analysis jobs? queued"))
    expect(
        page.locator(
            ".jobs-table tbody tr[data-status=queued], .jobs-table tbody tr[data-status=running]"
        ).first
    ).to_be_visible()
    shoot(page, "lab-set-running")
    open_results = page.get_by_role("link", name=re.compile(r"^Open results \(IGH"))
    expect(open_results).to_be_visible(timeout=JOBS_TIMEOUT_MS)
    expect(page.locator(".jobs-table tbody tr[data-status=queued]")).to_have_count(
        0, timeout=JOBS_TIMEOUT_MS
    )
    expect(page.locator(".jobs-table tbody tr[data-status=running]")).to_have_count(
        0, timeout=JOBS_TIMEOUT_MS
    )
    expect(page.locator(".jobs-table tbody tr[data-status=failed]")).to_have_count(0)
    # The fused result follows the last analysis: the link says so until it is up to date.
    expect(page.locator(".result-links .updating")).to_have_count(0, timeout=60_000)
    shoot(page, "lab-set-done")
    # Launching the same config again queues nothing, and says why instead of "0 jobs".
    page.get_by_role("button", name="Launch analysis").click()
    expect(page.get_by_role("status")).to_contain_text("Nothing to launch with this config")
    expect(page.locator(".jobs-table tbody tr[data-status=queued]")).to_have_count(0)

    open_results.click()
    truth = dominant_truth()
    first = page.locator(".clone-list tbody tr").first
    expect(first.locator("td.cdr3-aa")).to_have_text(truth["cdr3_aa"], timeout=30_000)
    dominant = first.get_attribute("data-id") or ""
    title = (
        page.get_by_test_id("graph-svg").locator(f'g[data-id="{dominant}"] title').text_content()
    )
    assert title and "diagnosis" in title and "follow-up" in title and "–" not in title
    expect(first.locator("td").nth(2)).to_have_text(truth["v_call"].split("*")[0])
    expect(first.locator("td").nth(3)).to_have_text(truth["j_call"].split("*")[0])
    first.click()
    exported = export(page, "Selected clones (AIRR TSV)", tmp_path)
    assert airr.validate_rearrangement(str(exported))
    rows = list(airr.read_rearrangement(str(exported)))
    assert [row["junction_aa"] for row in rows] == [truth["junction_aa"]] * 2


def test_login_messages_wrong_password_expiry_and_logout(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/patients")
    expect(page).to_have_url(re.compile("#/login"))
    log_in(page, ADMIN_EMAIL, "not the password")
    expect(page.get_by_role("alert")).to_have_text("wrong e-mail or password")
    shoot(page, "lab-login-wrong-password")
    assert all("401" in error for error in client.console_errors)
    client.console_errors.clear()
    # By keyboard: from the e-mail field, Tab goes to the password and Enter logs in.
    page.get_by_label("E-mail").fill("")
    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    # The session ends on the server side (cookie gone): the next call brings the login back.
    csrf = [cookie for cookie in page.context.cookies() if cookie["name"] == "csrftoken"]
    page.context.clear_cookies()
    page.context.add_cookies(csrf)  # type: ignore[arg-type]
    page.get_by_label("Search patients").fill("Ada")
    expect(page.get_by_role("status")).to_have_text(
        "Your session has expired: please log in again."
    )
    assert client.console_errors and all("401" in error for error in client.console_errors)
    client.console_errors.clear()
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page).to_have_url(re.compile("#/patients$"))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    assert httpx.get(lab_server + "api/auth/status").json()["needs_setup"] is False


def test_a_run_with_a_paired_sample_and_one_from_the_network_folder(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    page = client.page
    page.goto(lab_server + "#/runs")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    # 26 sets pasted at once: the list shows them 25 at a time.
    page.get_by_role("link", name="Sets", exact=True).click()
    page.get_by_role("button", name="Batch paste").click()
    rows = "\n".join(f"cohort {number:02}\t#cohort" for number in range(1, 27))
    page.get_by_label("Rows pasted from a spreadsheet").fill(rows)
    page.get_by_role("button", name="Create these rows").click()
    expect(page.get_by_role("status")).to_have_text("Created 26 sets.")
    expect(page.locator(".pager")).to_contain_text("1-25 of 26")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".pager")).to_contain_text("26-26 of 26")
    expect(page.locator(".sets-table tbody tr")).to_have_count(1)
    expect(page.locator(".sets-table tbody tr")).to_contain_text("cohort 01")  # newest first
    page.get_by_role("link", name="Runs", exact=True).click()

    page.get_by_role("button", name="New run").click()
    page.get_by_label("Run id").fill("R-2026-03")
    page.get_by_label("Name").fill("MiSeq March")
    page.get_by_role("button", name="Create the run").click()
    run = page.locator(".sets-table tbody tr", has_text="R-2026-03")
    run.get_by_role("button", name="Edit").click()
    page.get_by_label("Sequencer").fill("MiSeq")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved MiSeq March.")
    page.get_by_role("button", name="New run").click()
    page.get_by_label("Run id").fill("R-typo")
    page.get_by_role("button", name="Create the run").click()
    new_run = page.get_by_role("form", name="New run")
    expect(new_run.get_by_role("alert")).to_have_text("a run needs a name")
    only_refusals_logged(client, "400")
    new_run.get_by_label("Name").fill("typo")
    page.get_by_role("button", name="Create the run").click()
    typo = page.locator(".sets-table tbody tr", has_text="R-typo")
    typo.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_have_text("Deleted typo.")
    expect(typo).to_have_count(0)
    page.get_by_role("link", name="R-2026-03").click()
    expect(page.get_by_role("heading", name="Run MiSeq March")).to_be_visible()

    page.get_by_label("Paired-end").check()
    page.locator("input[type=file]").set_input_files(
        [LAB / "follow-up.fastq.gz", LAB / "diagnosis.fastq.gz"]
    )
    # Two files without an R1/R2 mark: one pair in name order, shown before it is sent.
    page.get_by_role("button", name="Upload 1 paired sample").click()
    paired = page.locator(".samples-table tbody tr")
    expect(paired).to_have_count(1)
    expect(paired).to_contain_text("diagnosis.fastq.gz")  # R1: the first by name
    expect(paired).to_contain_text("R2: follow-up.fastq.gz")
    expect(paired.locator(".status-ready")).to_have_count(1, timeout=30_000)

    page.get_by_role("button", name="Pick from the network folder").click()
    page.get_by_role("button", name="📁 run-42").click()
    page.locator(".source-list").get_by_role(
        "checkbox", name=re.compile("diagnosis.fastq.gz")
    ).check()
    page.get_by_label("Paired-end").uncheck()
    page.get_by_role("button", name="Add the ticked files").click()
    expect(page.get_by_role("status")).to_have_text("Added 1 sample(s) from the network folder.")
    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(2)
    network = samples.filter(has_text="network folder")
    expect(network.locator(".status-ready")).to_have_count(1)

    # Ownership: at least one group, with the server's reason when none is ticked.
    sharing = page.locator(".sharing")
    owners = sharing.get_by_role("checkbox", checked=True)
    expect(owners).to_have_count(1)
    owners.uncheck()
    sharing.get_by_role("button", name="Save the groups").click()
    expect(sharing.get_by_role("alert")).to_have_text(
        "a sample set must belong to at least one group"
    )
    only_refusals_logged(client, "400")
    sharing.get_by_label("admin").check()
    sharing.get_by_role("button", name="Save the groups").click()
    expect(sharing.get_by_role("status")).to_have_text("Owned by admin.")

    # Deleting asks first: Escape keeps the sample, the confirmation deletes it.
    network.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete the sample diagnosis.fastq.gz")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(samples).to_have_count(2)
    network.get_by_role("button", name="Delete").click()
    dialog.get_by_role("button", name="Delete").click()
    # The page's message comes first; the sharing panel keeps its own ("Owned by admin.").
    expect(page.get_by_role("status").first).to_have_text("Deleted diagnosis.fastq.gz.")
    expect(network.locator(".status-deleted")).to_have_count(1)


def test_a_broken_fastq_is_refused_naming_its_file_and_line_once(
    client: ClientPage, lab_server: str, tmp_path: Path
) -> None:
    ensure_admin(lab_server)
    broken = tmp_path / "broken.fastq"
    broken.write_text("@r1\nACGTACGT\n+\nIIII\n")  # quality shorter than the sequence
    with httpx.Client(base_url=lab_server, timeout=30) as http:
        http.get("api/auth/status")
        headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
        credentials = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        http.post("api/auth/login", json=credentials, headers=headers).raise_for_status()
        headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
        body = {"kind": "generic", "name": "broken upload"}
        set_id = http.post("api/sample-sets", json=body, headers=headers).json()["id"]
    page = client.page
    page.goto(lab_server + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Set broken upload")).to_be_visible()
    page.locator("input[type=file]").set_input_files(broken)
    expect(page.locator(".samples-table .status-invalid")).to_have_count(1)
    # it said "broken.fastq: broken.fastq:4: ..." (the client named the file the server named)
    expect(page.locator(".lab-message.error")).to_have_text(
        "broken.fastq:4: Length of sequence and qualities differ"
    )
    only_refusals_logged(client, "422")
    # the refused file was removed: the button said "Resume upload", it sends a corrected file
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload again").click()
    fixed = tmp_path / "fixed" / "broken.fastq"
    fixed.parent.mkdir()
    fixed.write_text("@r1\nACGTACGT\n+\nIIIIIIII\n")
    chooser.value.set_files(fixed)
    expect(page.locator(".samples-table .status-ready")).to_have_count(1)
    expect(page.get_by_role("button", name="Upload again")).to_have_count(0)
    # the configs' long descriptions made their select run past the page's right edge
    select = page.get_by_label("Analysis config").bounding_box()
    main = page.locator(".lab-main").bounding_box()
    assert select is not None and main is not None
    assert select["x"] + select["width"] <= main["x"] + main["width"]


def test_resume_an_upload_then_cancel_and_rerun_its_analysis(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    with httpx.Client(base_url=lab_server, timeout=30) as http:
        http.get("api/auth/status")
        headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
        credentials = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        http.post("api/auth/login", json=credentials, headers=headers).raise_for_status()
        headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
        body = {"kind": "generic", "name": "cancel test"}
        set_id = http.post("api/sample-sets", json=body, headers=headers).json()["id"]
        sample = http.post(
            f"api/sample-sets/{set_id}/samples",
            json={"original_name": "diagnosis.fastq.gz"},
            headers=headers,
        ).json()
        # Half of the file arrived before the upload was cut off (page closed, network lost).
        content = (LAB / "diagnosis.fastq.gz").read_bytes()
        half = len(content) // 2
        upload = f"api/samples/{sample['id']}/files/1"
        headers["Content-Range"] = f"bytes 0-{half - 1}/{len(content)}"
        http.put(upload, content=content[:half], headers=headers).raise_for_status()

    page = client.page
    page.goto(lab_server + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Set cancel test")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Resume upload").click()
    chooser.value.set_files(LAB / "diagnosis.fastq.gz")
    expect(page.locator(".uploads")).to_contain_text(f"received (resumed at {half} bytes)")
    expect(page.locator(".samples-table .status-ready")).to_have_count(1)
    expect(page.get_by_role("button", name="Resume upload")).to_have_count(0)
    multi_locus = page.locator("select[name=config] option", has_text=re.compile("^multi-locus -"))
    page.get_by_label("Analysis config").select_option(multi_locus.get_attribute("value"))
    page.get_by_role("button", name="Launch analysis").click()
    jobs = page.locator(".jobs-table tbody tr")
    jobs.first.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelling job")
    expect(jobs.first).to_have_attribute("data-status", "cancelled", timeout=60_000)

    jobs.first.get_by_role("button", name="Rerun").click()
    expect(page.get_by_role("status")).to_contain_text("queued again")
    expect(jobs).to_have_count(2)
    expect(jobs.first).to_have_attribute("data-status", re.compile("queued|running|completed"))
