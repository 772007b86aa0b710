"""The lab's tools in Chromium against a real `vidjil-local serve`, used as a lab user would: the
QC table of a set of two samples and its TSV, every download (reads, a sample's `.vidjil`, AIRR
and log, the fused `.vidjil`, the zip of the set), two samples of different patients compared on
one graph, "my jobs", the set's history, adding a sample to another set, changing one's own
password, and a config limited to one group, invisible to another.

Two patients of the "haematology" group, prepared through the HTTP API by its technician: A holds
the simulated diagnosis and follow-up, B a copy of the follow-up (so A's clones are found in
another patient: the contamination hint). `UPDATE_SCREENSHOTS=1` refreshes their screenshots.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import airr
import httpx
import pytest
from playwright.sync_api import Dialog, Download, Page, Route, expect

from tests.waiting import wait_until

from .conftest import ClientPage
from .test_lab_pages import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LAB,
    ensure_admin,
    lab_server,
    log_in,
    only_refusals_logged,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]

TECH = {"email": "tech@lab.example", "password": "pipette and bench"}
NURSE = {"email": "nurse@lab.example", "password": "sterile gloves 42"}
RESEARCHER = {"email": "researcher@lab.example", "password": "microscope slides"}
ALL_RIGHTS = ["read", "create", "upload", "run", "save", "admin", "anon"]


class Session:
    """The HTTP API as the browser uses it: CSRF cookie first, echoed on every change."""

    def __init__(self, base_url: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD):
        self.http = httpx.Client(base_url=base_url, timeout=60)
        self.http.get("api/auth/status").raise_for_status()
        self.send("POST", "api/auth/login", json={"email": email, "password": password})

    def send(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"x-csrftoken": self.http.cookies.get("csrftoken") or ""}
        response = self.http.request(method, url, headers=headers, **kwargs)
        assert response.is_success, f"{method} {url}: {response.status_code} {response.text}"
        return response.json() if "json" in response.headers.get("content-type", "") else None


def _patient(tech: Session, group: int, last_name: str, samples: list[tuple[str, str, str]]) -> int:
    body = {"kind": "patient", "first_name": "Ada", "last_name": last_name, "group_id": group}
    set_id = int(tech.send("POST", "api/sample-sets", json=body)["id"])
    for name, date, source in samples:
        sample = tech.send(
            "POST",
            f"api/sample-sets/{set_id}/samples",
            json={"original_name": name, "sampling_date": date},
        )
        content = (LAB / source).read_bytes()
        tech.send("PUT", f"api/samples/{sample['id']}/files/1", content=content)
    return set_id


def _analyse(tech: Session, set_id: int, config_id: int, samples: int) -> None:
    """Analyse the set and wait until it is done: its fused result holds every sample and no job
    of the technician is queued or running (a fuse's result is recorded a moment before its
    job is marked completed; "my jobs" is checked on a quiet lab)."""
    tech.send("POST", f"api/sample-sets/{set_id}/analyses", json={"config_id": config_id})

    def analysed() -> bool:
        answer = tech.http.get(f"api/sample-sets/{set_id}/results", params={"config_id": config_id})
        fused = answer.status_code == 200 and answer.json()["samples"]["number"] == samples
        return fused and tech.send("GET", "api/jobs", params={"active": "true"}) == []

    wait_until(analysed, timeout=200, interval=0.5, what=f"set {set_id} was not analysed")


@pytest.fixture(scope="module")
def lab(lab_server: str) -> Iterator[dict[str, Any]]:
    ensure_admin(lab_server)
    admin = Session(lab_server)
    haematology = admin.send(
        "POST", "api/groups", json={"name": "haematology", "rights": ALL_RIGHTS}
    )["group"]
    research = admin.send(
        "POST",
        "api/groups",
        json={"name": "research", "rights": ["read", "create", "upload", "run"]},
    )["group"]
    for person, group in ((TECH, haematology), (NURSE, haematology), (RESEARCHER, research)):
        admin.send("POST", "api/users", json={**person, "group_ids": [group["id"]]})
    tech = Session(lab_server, TECH["email"], TECH["password"])
    configs = {config["name"]: config["id"] for config in tech.send("GET", "api/configs")}
    patient_a = _patient(
        tech,
        haematology["id"],
        "Lovelace",
        [
            ("diagnosis.fastq.gz", "2026-01-05", "diagnosis.fastq.gz"),
            ("follow-up.fastq.gz", "2026-03-02", "follow-up.fastq.gz"),
        ],
    )
    patient_b = _patient(
        tech,
        haematology["id"],
        "Hopper",
        [("patient-b.fastq.gz", "2026-02-01", "follow-up.fastq.gz")],
    )
    _analyse(tech, patient_a, configs["IGH"], 2)
    _analyse(tech, patient_b, configs["IGH"], 1)
    yield {
        "url": lab_server,
        "admin": admin,
        "tech": tech,
        "groups": {"haematology": haematology["id"], "research": research["id"]},
        "configs": configs,
        "patient_a": patient_a,
        "patient_b": patient_b,
    }


def _signed_in(client: ClientPage, lab: dict[str, Any], person: dict[str, str], hash_: str) -> Page:
    page = client.page
    page.goto(lab["url"] + hash_)
    log_in(page, person["email"], person["password"])
    return page


def _saved(download: Download, directory: Path) -> Path:
    target = directory / download.suggested_filename
    download.save_as(target)
    return target


def _download(page: Page, link: Any, directory: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    return _saved(info.value, directory)


def test_the_qc_table_of_a_set_of_two_samples_with_its_tsv(
    client: ClientPage, lab: dict[str, Any], tmp_path: Path
) -> None:
    page = _signed_in(client, lab, TECH, f"#/set?id={lab['patient_a']}")
    expect(page.get_by_role("heading", name="Patient Ada Lovelace")).to_be_visible()
    page.locator(".result-links li[data-config=IGH]").get_by_role("link", name="QC table").click()
    expect(page.get_by_role("heading", name="QC of Patient Ada Lovelace")).to_be_visible()
    rows = page.locator(".qc-table tbody tr")
    expect(rows).to_have_count(2)
    diagnosis = rows.nth(0)
    expect(diagnosis.locator("[data-column=sample]")).to_contain_text("diagnosis.fastq.gz")
    expect(diagnosis.locator("[data-column=reads]")).to_have_text("3,000")
    expect(diagnosis.locator("[data-column=major]")).to_have_text("IGH: 2")
    expect(diagnosis.locator("[data-column=main]")).to_contain_text("20.")
    expect(diagnosis.locator("[data-column=lengths] svg rect").first).to_be_attached()
    # the dominant clones are in patient B too: a warning with a link to that set
    shared = diagnosis.locator("[data-column=shared]")
    expect(shared).to_contain_text("⚠")
    expect(shared.get_by_role("link", name="patient-b.fastq.gz")).to_have_attribute(
        "href", f"#/set?id={lab['patient_b']}"
    )
    expect(rows.nth(1).locator("[data-column=major]")).to_have_text("IGH: 1")
    # the diversity indices of the read statistics, of all loci and per locus
    for column in ("shannon", "equitability", "simpson", "pielou"):
        expect(diagnosis.locator(f"[data-column={column}]")).to_have_text(re.compile(r"^\d+\.\d+$"))
    expect(diagnosis.locator("[data-column=diversity-loci] [data-locus=IGH]")).to_contain_text("J ")
    shannon_shown = float(diagnosis.locator("[data-column=shannon]").inner_text())
    shoot(page, "lab-qc-table")

    # a column hidden stays hidden on this computer
    page.locator(".column-toggles summary").click()
    page.get_by_label("Shannon").uncheck()
    expect(page.locator(".qc-table th", has_text="Shannon")).to_have_count(0)
    page.reload()
    expect(rows).to_have_count(2)
    expect(page.locator(".qc-table th", has_text="Shannon")).to_have_count(0)

    tsv = _download(page, page.get_by_role("link", name="Download TSV"), tmp_path)
    table = list(csv.DictReader(io.StringIO(tsv.read_text()), delimiter="\t"))
    assert [row["sample"] for row in table] == ["diagnosis.fastq.gz", "follow-up.fastq.gz"]
    assert table[0]["reads"] == "3000" and table[0]["clones >= 5% per locus"] == "IGH:2"
    assert "patient-b.fastq.gz" in table[0]["other samples sharing clones"]
    # the indices are the result's own (its .vidjil), not recomputed
    page.goto(f"{lab['url']}#/set?id={lab['patient_a']}")
    row = page.locator(".files-table tbody tr", has_text="diagnosis.fastq.gz")
    vidjil = json.loads(
        _download(page, row.get_by_role("link", name=".vidjil"), tmp_path).read_text()
    )
    diversity = vidjil["diversity"]
    assert float(table[0]["shannon H"]) == pytest.approx(diversity["index_H_entropy"][0])
    assert float(table[0]["pielou J"]) == pytest.approx(diversity["_index_J_pielou"][0])
    assert float(table[0]["simpson Ds"]) == pytest.approx(diversity["index_Ds_diversity"][0])
    assert shannon_shown == pytest.approx(diversity["index_H_entropy"][0], abs=0.005)
    igh = diversity["_per_locus"]["IGH"]
    assert f"IGH H={igh['index_H_entropy'][0]:.4g}" in table[0]["diversity per locus"]


def test_each_download_from_the_set_page(
    client: ClientPage, lab: dict[str, Any], tmp_path: Path
) -> None:
    page = _signed_in(client, lab, TECH, f"#/set?id={lab['patient_a']}")
    diagnosis = page.locator(".samples-table tbody tr", has_text="diagnosis.fastq.gz")
    reads = _download(page, diagnosis.get_by_role("link", name="reads"), tmp_path)
    assert reads.read_bytes() == (LAB / "diagnosis.fastq.gz").read_bytes()

    row = page.locator(".files-table tbody tr", has_text="diagnosis.fastq.gz")
    vidjil = json.loads(
        _download(page, row.get_by_role("link", name=".vidjil"), tmp_path).read_text()
    )
    assert vidjil["reads"]["total"] == [3000]
    airr_file = _download(page, row.get_by_role("link", name="AIRR"), tmp_path)
    assert airr.validate_rearrangement(str(airr_file))
    log = _download(page, row.get_by_role("link", name="log"), tmp_path).read_text()
    assert "sample: diagnosis.fastq.gz" in log and "config: IGH" in log

    fused_link = page.locator(".result-links li[data-config=IGH]").get_by_role(
        "link", name="fused .vidjil"
    )
    fused = json.loads(_download(page, fused_link, tmp_path).read_text())
    assert fused["samples"]["number"] == 2

    zipped = _download(
        page, page.get_by_role("link", name="Download the whole set (zip)"), tmp_path
    )
    archive = zipfile.ZipFile(zipped)
    assert archive.testzip() is None
    assert {"metadata.json", "fused/IGH.vidjil"} <= set(archive.namelist())
    metadata = json.loads(archive.read("metadata.json"))
    assert [sample["original_name"] for sample in metadata["samples"]] == [
        "diagnosis.fastq.gz",
        "follow-up.fastq.gz",
    ]
    page.get_by_label("with the reads files (large)").check()
    with_reads = zipfile.ZipFile(
        _download(page, page.get_by_role("link", name="Download the whole set (zip)"), tmp_path)
    )
    assert any(name.endswith("/reads/diagnosis.fastq.gz") for name in with_reads.namelist())
    page.locator(".lab-page").evaluate("frame => frame.scrollTo(0, frame.scrollHeight)")
    shoot(page, "lab-set-files")


def test_two_samples_of_different_sets_compared_on_one_graph(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    page = _signed_in(client, lab, TECH, f"#/set?id={lab['patient_a']}")
    page.get_by_label("Compare diagnosis.fastq.gz (IGH)").check()
    page.get_by_role("button", name="Compare the ticked results…").click()
    expect(page.get_by_role("heading", name="Compare samples")).to_be_visible()
    chosen = page.locator(".chosen-results li")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Patient Ada Lovelace · diagnosis.fastq.gz")
    page.get_by_label("Search patients, runs and sets").fill("Hopper")
    found = page.locator(".found-sets li", has_text="Hopper")
    expect(found).to_have_count(1)
    found.get_by_role("button", name="Show its samples").click()
    page.get_by_role("button", name="Add patient-b.fastq.gz (IGH)").click()
    expect(chosen).to_have_count(2)
    shoot(page, "lab-compare")
    page.get_by_role("link", name="Compare on one graph").click()

    first = page.locator(".clone-list tbody tr").first
    expect(first).to_be_visible(timeout=30_000)
    dominant = first.get_attribute("data-id") or ""
    curve = page.get_by_test_id("graph-svg").locator(f'g[data-id="{dominant}"] title')
    title = curve.text_content() or ""
    assert "Lovelace · diagnosis.fastq.gz" in title and "Hopper · patient-b.fastq.gz" in title
    shoot(page, "results-compared")


def test_my_jobs_the_history_and_adding_a_sample_to_another_set(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    page = _signed_in(client, lab, TECH, "#/jobs")
    expect(page.get_by_role("heading", name="My jobs")).to_be_visible()
    analyses = page.locator(".jobs-table tbody tr", has_text=re.compile(r"· analysis"))
    expect(analyses).to_have_count(3)
    expect(analyses.locator(".status-completed")).to_have_count(3)
    expect(analyses.get_by_role("link", name="Ada Hopper")).to_have_count(1)
    expect(analyses.get_by_role("link", name="Ada Lovelace")).to_have_count(2)
    shoot(page, "lab-my-jobs")
    page.get_by_label("Only queued and running jobs").check()
    expect(page.get_by_text("None of your jobs is running.")).to_be_visible()

    page.goto(lab["url"] + f"#/set?id={lab['patient_a']}")
    history = page.locator(".history-table tbody")
    expect(history.locator("tr[data-action=launch_analysis]")).to_have_count(2)
    follow_up = page.locator(".samples-table tbody tr", has_text="follow-up.fastq.gz")
    follow_up.get_by_role("button", name="Add to another set").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Set to add the sample to").fill("Hopper")
    dialog.locator(".found-sets li", has_text="Hopper").get_by_role(
        "button", name="Add to this set"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        "follow-up.fastq.gz is now also in Patient Ada Hopper"
    )
    page.goto(lab["url"] + f"#/set?id={lab['patient_b']}")
    expect(page.locator(".samples-table tbody tr")).to_have_count(2)
    expect(page.locator(".samples-table")).to_contain_text("follow-up.fastq.gz")


# Counts the answers of /api/jobs once the page has handled them: the count goes up in a task
# queued when the page has the JSON, so after the continuations of the code that asked for it.
COUNT_JOB_ANSWERS = """
window.jobAnswers = 0;
const fetchFirst = window.fetch.bind(window);
window.fetch = async (...args) => {
  const response = await fetchFirst(...args);
  if (String(args[0]).includes("/api/jobs")) {
    const json = response.json.bind(response);
    response.json = async () => {
      const value = await json();
      setTimeout(() => { window.jobAnswers += 1; });
      return value;
    };
  }
  return response;
};
"""


def handled(page: Page, answers: int) -> None:
    """Until the page has handled `answers` answers of /api/jobs (COUNT_JOB_ANSWERS)."""
    wait_until(
        lambda: int(page.evaluate("window.jobAnswers")) >= answers,
        timeout=30,
        what=f"the page did not handle {answers} answers of /api/jobs",
    )


def test_my_jobs_shows_the_answer_to_the_latest_filter(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    """The answer for every job, asked before the box was ticked again, arrives last: the page
    keeps showing the queued and running ones (none) as the ticked box says."""
    client.page.add_init_script(COUNT_JOB_ANSWERS)
    page = _signed_in(client, lab, TECH, "#/jobs")
    analyses = page.locator(".jobs-table tbody tr", has_text=re.compile(r"· analysis"))
    expect(analyses).to_have_count(3)
    none = page.get_by_text("None of your jobs is running.")
    active_only = page.get_by_label("Only queued and running jobs")
    active_only.check()
    expect(none).to_be_visible()

    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    every_job = re.compile(r"/api/jobs/?\?(.*&)?active=false")
    page.route(every_job, hold)
    active_only.uncheck()  # every job asked: the answer is held back

    def asked() -> bool:
        return bool(page.evaluate("true") and held)  # evaluate: Playwright hands on the route

    wait_until(asked, timeout=30, what="the page did not ask for every job")
    answered = int(page.evaluate("window.jobAnswers"))
    active_only.check()  # the queued and running ones asked, and answered at once
    handled(page, answered + 1)
    expect(none).to_be_visible()
    held[0].continue_()  # the earlier answer comes last
    handled(page, answered + 2)
    page.unroute(every_job)
    expect(active_only).to_be_checked()
    expect(none).to_be_visible()
    expect(analyses).to_have_count(0)


def test_changing_ones_own_password(client: ClientPage, lab: dict[str, Any]) -> None:
    page = _signed_in(client, lab, NURSE, "#/patients")
    page.get_by_role("link", name=NURSE["email"]).click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.locator(".lab-table")).to_contain_text("haematology")
    form = page.get_by_role("form", name="Change my password")
    form.get_by_label("Current password").fill(NURSE["password"])
    form.get_by_label("New password", exact=True).fill("a new one for spring")
    form.get_by_label("New password again").fill("a new one for sprint")
    form.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The two new passwords differ: type the same one twice."
    )
    form.get_by_label("Current password").fill("not my password")
    form.get_by_label("New password again").fill("a new one for spring")
    form.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("alert")).to_contain_text("password")
    form.get_by_label("Current password").fill(NURSE["password"])
    form.get_by_label("New password", exact=True).fill("a new one for spring")
    form.get_by_label("New password again").fill("a new one for spring")
    form.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password was changed")
    shoot(page, "lab-account")

    page.get_by_role("button", name="Log out").click()
    log_in(page, NURSE["email"], NURSE["password"])
    expect(page.get_by_role("alert")).to_have_text("wrong e-mail or password")
    only_refusals_logged(client, "401", "403")  # the wrong current password, the old password
    log_in(page, NURSE["email"], "a new one for spring")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()


def test_a_config_limited_to_one_group_is_invisible_to_another(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    page = _signed_in(
        client, lab, {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, "#/admin/configs"
    )
    row = page.locator(".lab-table tbody tr[data-config=TRG]")
    expect(row).to_contain_text("every user")
    row.get_by_role("button", name="Who may use TRG").click()
    form = page.get_by_role("form", name="Who may use TRG")
    form.get_by_label("haematology").check()
    form.get_by_role("button", name="Save who may use TRG").click()
    expect(page.get_by_role("status")).to_have_text("Saved who may use TRG.")
    expect(row).to_contain_text("haematology")
    page.locator(".lab-page").evaluate("frame => frame.scrollTo(0, 0)")
    shoot(page, "admin-config-groups")
    page.get_by_role("button", name="Log out").click()

    research = Session(lab["url"], RESEARCHER["email"], RESEARCHER["password"])
    body = {"kind": "generic", "name": "cohort", "group_id": lab["groups"]["research"]}
    research_set = research.send("POST", "api/sample-sets", json=body)["id"]
    log_in(page, RESEARCHER["email"], RESEARCHER["password"])
    page.goto(lab["url"] + f"#/set?id={research_set}")
    options = page.get_by_label("Analysis config").locator("option")
    expect(options.filter(has_text=re.compile("^IGH( - |$)"))).to_have_count(1)
    expect(options.filter(has_text=re.compile("^TRG( - |$)"))).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    log_in(page, TECH["email"], TECH["password"])
    page.goto(lab["url"] + f"#/set?id={lab['patient_b']}")
    expect(
        page.get_by_label("Analysis config")
        .locator("option")
        .filter(has_text=re.compile("^TRG( - |$)"))
    ).to_have_count(1)


def test_an_admin_edits_a_user_and_makes_then_deletes_a_child_group(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    admin = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    page = _signed_in(client, lab, admin, "#/admin/users")
    page.locator(".users-table tr[data-user='researcher@lab.example']").get_by_role(
        "button", name="Edit"
    ).click()
    form = page.get_by_role("form", name="Edit researcher@lab.example")
    form.get_by_label("First name").fill("Barbara")
    form.get_by_label("Last name").fill("McClintock")
    form.get_by_role("button", name="Save researcher@lab.example").click()
    expect(page.get_by_role("status")).to_have_text("Saved researcher@lab.example.")
    expect(page.locator(".users-table tr[data-user='researcher@lab.example']")).to_contain_text(
        "Barbara McClintock"
    )

    page.get_by_role("link", name="Groups and rights").click()
    new_group = page.get_by_role("form", name="New group")
    new_group.get_by_label("Group name").fill("haematology night shift")
    new_group.get_by_label("Parent group").select_option(label="haematology")
    new_group.get_by_role("button", name="Create the group").click()
    child = page.locator(".rights-grid tr[data-group='haematology night shift']")
    expect(child).to_contain_text("child of haematology")
    child.get_by_role("button", name="Delete the group haematology night shift").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_have_text("Deleted the group haematology night shift.")
    expect(child).to_have_count(0)
    # a group owning sets alone cannot go: the server says why
    owner = page.locator(".rights-grid tr[data-group='haematology']")
    owner.get_by_role("button", name="Delete the group haematology").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("haematology")
    only_refusals_logged(client, "409", "400", "403")
    expect(owner).to_have_count(1)


def test_a_follow_up_report_from_a_template_saved_and_reopened_from_the_analysis(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    set_id = lab["patient_a"]
    # a report another Vidjil saved, with a block this client does not draw: kept as it came
    foreign = {"template": "cll", "blocks": [{"blockType": "scatterplot", "axes": ["v", "j"]}]}
    analysis = {"clones": [], "report_save": {"CLL diagnosis": foreign}}
    lab["tech"].send("POST", f"api/sample-sets/{set_id}/analysis", json=analysis)
    page = _signed_in(client, lab, TECH, f"#/set?id={set_id}")
    page.locator(".result-links li[data-config=IGH]").get_by_role(
        "link", name="Open results"
    ).click()
    expect(page.locator(".clone-list tbody tr").first).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Report").click()
    builder = page.get_by_role("region", name="Report builder")
    builder.get_by_label("Template").select_option(label="Follow-up (MRD)")
    builder.get_by_role("button", name="New report").click()
    blocks = page.locator(".report-block")
    expect(blocks).to_have_count(8)
    expect(page.locator(".report-block[data-block=monitor] svg")).to_be_visible()
    expect(page.locator(".report-block[data-block=patient_info]")).to_contain_text("Ada Lovelace")
    expect(page.locator(".report-block[data-block=log_db]")).to_contain_text("launch analysis")
    builder.get_by_label("Author").fill("Dr Curie")
    builder.get_by_label("Author").press("Tab")
    comment = "MRD at follow-up: the diagnosis clone fell from 20% to 2%."
    page.get_by_role("textbox", name="Comment (block 8)").fill(comment)

    # a plot added from the views joins the report being written
    page.get_by_role("link", name="← Back to the results").click()
    page.get_by_text("Export ▾").click()
    page.get_by_role("menuitem", name="Grid: add to the report").click()
    page.get_by_role("link", name="Report").click()
    expect(blocks).to_have_count(9)
    plot = page.locator(".report-block[data-block=plot]")
    expect(plot.get_by_role("img", name="J gene by V gene")).to_be_visible()
    expect(page.get_by_role("textbox", name="Comment (block 8)")).to_have_value(comment)
    name = builder.get_by_label("Report name").input_value()
    page.get_by_role("button", name="Save the report").click()
    expect(page.locator(".report-status")).to_contain_text("saved in the analysis")
    shoot(page, "report-builder")

    saved = lab["tech"].send("GET", f"api/sample-sets/{set_id}/analysis")
    report = saved["report_save"].pop(name)
    assert saved["report_save"] == {"CLL diagnosis": foreign}
    assert report["template"] == "follow-up" and report["author"] == "Dr Curie"
    assert {"blockType": "comment", "text": comment} in report["blocks"]
    assert [block["blockType"] for block in report["blocks"]][-1] == "plot"

    # a fresh page: the report comes back from the .analysis
    page.goto(lab["url"] + f"?set={set_id}&config={lab['configs']['IGH']}#/viewer")
    expect(page.locator(".clone-list tbody tr").first).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Report").click()
    page.get_by_label("Saved reports").select_option(label=report["name"])
    expect(page.get_by_role("textbox", name="Comment (block 8)")).to_have_value(comment)
    expect(page.get_by_label("Author")).to_have_value("Dr Curie")
    expect(page.locator(".report-block[data-block=plot] img")).to_be_visible()
    expect(page.locator(".report-status")).to_have_text("")
    # a sample's block gives what the lab recorded about it on the server
    page.get_by_label("Block to add").select_option(label="Sample information")
    page.get_by_role("button", name="Add the block").click()
    about = page.locator(".report-block[data-block=sample_info]")
    expect(about.get_by_role("row", name="Sampling date")).to_contain_text("2026-01-05")
    expect(page.locator(".report-status")).to_have_text("Not saved yet.")
    # on paper: the report without its tools, the comment as text
    page.emulate_media(media="print")
    expect(page.get_by_role("region", name="Report builder")).to_be_hidden()
    expect(page.locator(".report-comment.print-only")).to_have_text(comment)
    page.emulate_media(media="screen")


def test_two_tabs_saving_the_same_analysis_lose_nothing_unasked(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    """Two tabs on one patient's results: the second save silently replaced the first one's tag.
    Now the second is refused, says who saved meanwhile, and replaces it only once asked."""
    set_id, config_id = lab["patient_b"], lab["configs"]["IGH"]
    address = f"{lab['url']}?set={set_id}&config={config_id}#/viewer"
    first = _signed_in(client, lab, TECH, f"#/set?id={set_id}")
    expect(first.get_by_role("heading", name="Samples", exact=True)).to_be_visible()
    first.goto(address)
    second = first.context.new_page()
    second.goto(address)
    rows = [tab.locator(".clone-list tbody tr[data-id]") for tab in (first, second)]
    for tab_rows in rows:
        expect(tab_rows.first).to_be_visible(timeout=30_000)
    tagged = rows[0].nth(0).get_attribute("data-id")
    rows[0].nth(0).click()
    first.get_by_label("Tag the selected clones").select_option(label="custom 1")
    first.keyboard.press("Control+s")
    expect(first.get_by_role("status")).to_have_text(re.compile(r"Saved \(version \d+\)"))

    rows[1].nth(1).click()
    second.get_by_label("New name of the selected clone").fill("second tab")
    second.keyboard.press("Enter")
    asked: list[str] = []

    def refuse(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    second.once("dialog", refuse)
    second.keyboard.press("Control+s")
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("saved again since you opened it")
    assert TECH["email"] in asked[0]
    saved = lab["tech"].send("GET", f"api/sample-sets/{set_id}/analysis")
    assert {"id": tagged, "tag": 9} in saved["clones"]

    second.once("dialog", lambda dialog: dialog.accept())
    second.keyboard.press("Control+s")
    expect(second.get_by_role("status")).to_have_text(re.compile(r"Saved \(version \d+\)"))
    saved = lab["tech"].send("GET", f"api/sample-sets/{set_id}/analysis")
    assert any(clone.get("name") == "second tab" for clone in saved["clones"])
    client.console_errors[:] = [e for e in client.console_errors if "409" not in e]
