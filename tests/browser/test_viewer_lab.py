"""The results viewer as a lab user works with it, against a real `vidjil-local serve` process:
a patient's diagnosis and follow-up, imported as `.vidjil` files made elsewhere (the "import"
config) and fused by the server, opened by a biologist whose group has no `anon` right.

Clustering by CDR3 then undo; the smaller-clonotype rows keeping the shares at 100%; colour by
V; a custom tag hiding its clones; the graph's samples moved and hidden; clone info, sequence
marks and the germline genes. Each test starts from an empty saved analysis."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.app_process import serving
from tests.waiting import wait_until

from .conftest import ClientPage
from .viewer_data import LAB_LOCI, lab_samples

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN = {"email": "admin@lab.example", "password": "correct horse battery"}
BIOLOGIST = {"email": "biologist@lab.example", "password": "pipette and bench 42"}
PATIENT = {
    "kind": "patient",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "birth": "1980-05-01",
    "id_label": "P-7",
}
DOMINANT = "igh-dominant"


class Http:
    """The API as the browser uses it: CSRF cookie first, echoed on every change."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.client.get("/api/auth/status").raise_for_status()

    def send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        headers = {"x-csrftoken": self.client.cookies.get("csrftoken") or ""}
        response = self.client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.is_success, f"{method} {url}: {response.status_code} {response.text}"
        return response


@dataclass
class Lab:
    url: str
    set_id: int
    config_id: int
    admin: Http
    biologist: Http

    def results(self) -> str:
        return f"?set={self.set_id}&config={self.config_id}#/viewer"

    def saved_analysis(self) -> dict[str, object]:
        answer: dict[str, object] = self.admin.send(
            "GET", f"/api/sample-sets/{self.set_id}/analysis"
        ).json()
        return answer


def prepare(url: str) -> Lab:
    """The administrator, a group without `anon`, its biologist, the patient and its results."""
    admin = Http(url)
    admin.send("POST", "/api/auth/setup", json=ADMIN)
    rights = ["read", "create", "upload", "run", "save"]
    group = admin.send("POST", "/api/groups", json={"name": "haematology", "rights": rights})
    group_id = group.json()["group"]["id"]
    admin.send("POST", "/api/users", json={**BIOLOGIST, "group_ids": [group_id]})
    set_id = admin.send("POST", "/api/sample-sets", json={**PATIENT, "group_id": group_id}).json()[
        "id"
    ]
    for name, content in lab_samples():
        body = {"original_name": name}
        sample = admin.send("POST", f"/api/sample-sets/{set_id}/samples", json=body).json()
        admin.send("PUT", f"/api/samples/{sample['id']}/files/1", content=content)
    configs = {config["name"]: config["id"] for config in admin.send("GET", "/api/configs").json()}
    config_id = configs["import"]
    admin.send("POST", f"/api/sample-sets/{set_id}/analyses", json={"config_id": config_id})
    wait_for_fuse(admin, set_id, config_id)
    biologist = Http(url)
    biologist.send("POST", "/api/auth/login", json=BIOLOGIST)
    return Lab(url, set_id, config_id, admin, biologist)


def wait_for_fuse(admin: Http, set_id: int, config_id: int) -> None:
    """Until both samples are in the fused result and no job of the set is queued or running
    (a fuse's result is recorded a moment before its job is marked completed)."""

    def fused() -> bool:
        params = {"config_id": config_id}
        answer = admin.client.get(f"/api/sample-sets/{set_id}/results", params=params)
        if answer.status_code != 200 or answer.json()["samples"]["number"] != 2:
            return False
        jobs = admin.client.get(f"/api/sample-sets/{set_id}/jobs").json()
        return not any(job["status"] in ("queued", "running") for job in jobs)

    wait_until(fused, timeout=120, interval=0.3, what="the imported samples were not fused")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory, built_client: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("viewer-lab")
    data_dir = folder / "data"
    log = folder / "serve.log"
    with serving(data_dir, log, env={"VIDJIL_WORKERS_POOL": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def prepared(lab_server: str) -> Lab:
    return prepare(lab_server)


@pytest.fixture
def lab(prepared: Lab) -> Lab:
    """Each test starts from an empty analysis, saved as a new version."""
    empty = {"clones": [], "clusters": [], "tags": {"names": {}, "hide": []}}
    prepared.admin.send("POST", f"/api/sample-sets/{prepared.set_id}/analysis", json=empty)
    return prepared


def open_results(client: ClientPage, lab: Lab, who: Http | None = None) -> Page:
    session = who or lab.biologist
    client.page.context.clear_cookies()
    client.page.context.add_cookies(
        [
            {"name": name, "value": value, "url": lab.url}
            for name, value in session.client.cookies.items()
        ]
    )
    client.base_url = lab.url
    # A new document each time: the same address again would only be a jump within the page.
    client.page.goto("about:blank")
    page = client.open(lab.results())
    page.wait_for_selector(f'.clone-list tr[data-id="{DOMINANT}"]')
    return page


def row(page: Page, clone_id: str) -> str:
    return f'.clone-list tr[data-id="{clone_id}"]'


# Every row of the list, read while scrolling it (only the rows in view are in the page):
# aria-rowindex -> (clone id or "smaller LOCUS", reads cell, % cell).
READ_LIST = """async () => {
    const list = document.querySelector(".list-scroll");
    const rows = {};
    for (let top = 0; ; top += list.clientHeight / 2) {
        list.scrollTop = top;
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        for (const row of list.querySelectorAll("tbody tr[aria-rowindex]")) {
            const cells = [...row.querySelectorAll("td")].map((cell) => cell.textContent);
            const locus = row.dataset.locus;
            const name = row.dataset.id ?? (locus ? `smaller ${locus}` : "member");
            rows[row.getAttribute("aria-rowindex")] = [name, cells[6], cells[7]];
        }
        if (top + list.clientHeight >= list.scrollHeight) break;
    }
    list.scrollTop = 0;
    return rows;
}"""


def list_rows(page: Page) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = page.evaluate(READ_LIST)
    return {row[0]: row[1:] for row in rows.values() if row[0] != "member"}


def shown_percent(page: Page) -> float:
    """The sum of the % column: every clone row and every smaller-clonotype row."""
    percents = [percent for _, percent in list_rows(page).values()]
    return sum(float(text.rstrip("%")) for text in percents if text.endswith("%"))


def reads_of(page: Page, name: str) -> int:
    return int(list_rows(page)[name][0].replace(",", ""))


def test_the_header_names_the_patient_by_pseudonym_and_the_config(
    client: ClientPage, lab: Lab
) -> None:
    page = open_results(client, lab)
    source = page.get_by_test_id("source-name")
    # Without the anon right: three letters of the name and the age, never the name.
    expect(source).to_have_text(re.compile(r"^Lov \(\d+ y\) \(P-7\) · import$"))
    page = open_results(client, lab, lab.admin)
    expect(page.get_by_test_id("source-name")).to_have_text("Ada Lovelace (P-7) · import")


def test_clustering_by_cdr3_then_undo(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    dominant = page.locator(row(page, DOMINANT))
    expect(dominant.locator("td").nth(6)).to_have_text("12,000")
    page.get_by_text("Cluster ▾").click()
    page.get_by_role("menuitem", name="by same CDR3 (amino acids)").click()
    # The silent variant has the same CDR3 amino acids: it joins; the mutant does not.
    expect(page.locator(row(page, "igh-silent"))).to_have_count(0)
    expect(page.locator(row(page, "igh-mutant"))).to_have_count(1)
    expect(dominant.locator("td").nth(6)).to_have_text("12,400")
    expect(dominant.get_by_role("button", name="Show the 2 clones of this cluster")).to_be_visible()
    undo = page.get_by_role("button", name="Undo", exact=True)
    expect(undo).to_have_attribute("title", re.compile("cluster by same CDR3"))
    page.keyboard.press("Control+z")
    expect(page.locator(row(page, "igh-silent"))).to_have_count(1)
    expect(dominant.locator("td").nth(6)).to_have_text("12,000")
    page.keyboard.press("Control+Shift+z")
    expect(page.locator(row(page, "igh-silent"))).to_have_count(0)
    # Open the cluster, take the silent variant out, then undo that too.
    dominant.get_by_role("button", name="Show the 2 clones of this cluster").click()
    members = page.locator(".clone-list tr.member-row")
    expect(members).to_have_count(2)
    page.get_by_role("button", name=re.compile("^Take .* out of the cluster")).nth(1).click()
    expect(page.locator(row(page, "igh-silent"))).to_have_count(1)
    undo.click()
    expect(page.locator(row(page, "igh-silent"))).to_have_count(0)
    page.get_by_role("button", name="Save analysis").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Saved \(version \d+\)"))
    assert lab.saved_analysis()["clusters"] == [[DOMINANT, "igh-silent"]]
    page = open_results(client, lab)
    expect(page.locator(row(page, DOMINANT)).locator("td").nth(6)).to_have_text("12,400")


def test_smaller_clonotypes_keep_the_shares_at_100_percent(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    total = page.get_by_test_id("list-total")
    for top in ("top 5", "top 20", "all clones"):
        page.get_by_label("Show top clones").select_option(label=top)
        for sample in ("diagnosis.vidjil", "follow-up.vidjil"):
            page.get_by_label("Sample", exact=True).select_option(label=sample)
            expect(total).to_contain_text("Total 100.0% of the segmented reads")
            assert shown_percent(page) == pytest.approx(100, abs=0.5), (top, sample)
    page.get_by_label("Show top clones").select_option(label="top 5")
    page.get_by_label("Sample", exact=True).select_option(label="diagnosis.vidjil")
    igh = page.locator(".clone-list tr.smaller-row[data-locus=IGH]")
    expect(igh).to_contain_text("IGH smaller clonotypes")
    # IGH reads of the diagnosis minus the IGH clones listed.
    listed = page.locator(
        ".clone-list tbody tr[data-id]", has=page.locator("td:nth-child(2)", has_text="IGH")
    )
    reads = sum(
        int(text.replace(",", "")) for text in listed.locator("td:nth-child(7)").all_text_contents()
    )
    expect(igh.locator("td").nth(6)).to_have_text(f"{LAB_LOCI['IGH'][0] - reads:,}")
    # Hiding a locus hides its smaller clonotypes with it.
    page.locator('input[data-locus="TRG"]').uncheck()
    expect(page.locator(".clone-list tr.smaller-row[data-locus=TRG]")).to_have_count(0)


def test_colour_by_v_gene(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    page.get_by_label("Colour by").select_option(label="V gene")
    legend = page.get_by_test_id("colour-legend")
    expect(legend).to_contain_text("IGHV3-23")
    expect(legend).to_contain_text("TRGV9")
    grid = page.get_by_test_id("grid-svg")

    def fill(clone_id: str) -> str:
        return grid.locator(f'circle.bubble[data-id="{clone_id}"]').get_attribute("fill") or ""

    # Same V gene, same colour; another V gene, another colour; the list's swatches agree.
    assert fill(DOMINANT) == fill("igh-silent") == fill("igh-mutant")
    assert fill(DOMINANT) != fill("igh-2") != fill("trg-1")
    swatch = page.locator(row(page, "igh-2")).locator(".swatch")
    assert fill("igh-2") in (swatch.get_attribute("style") or "")
    # The choice is a view preference: it stays for the next result opened.
    page = open_results(client, lab)
    expect(page.get_by_label("Colour by")).to_have_value("v")


def test_a_custom_tag_hides_its_clones(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    page.get_by_text("Tags ▾").click()
    name = page.get_by_label("Name of the tag custom 1")
    name.fill("spike A")
    name.press("Enter")
    page.keyboard.press("Escape")
    page.locator(row(page, "trg-2")).click()
    page.get_by_label("Tag the selected clones").select_option(label="spike A")
    expect(page.locator(row(page, "trg-2"))).to_contain_text("spike A")
    before = reads_of(page, "smaller TRG")
    page.get_by_text("Tags ▾").click()
    page.get_by_label("Show the clones tagged spike A").uncheck()
    expect(page.locator(row(page, "trg-2"))).to_have_count(0)
    # Its reads go to the TRG smaller clonotypes: the shares still add up to 100%.
    assert "trg-2" not in list_rows(page)
    assert reads_of(page, "smaller TRG") == before + 700
    expect(page.get_by_test_id("list-total")).to_contain_text("Total 100.0%")
    expect(page.get_by_text("Tags (1 hidden) ▾")).to_be_visible()
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Saved \(version \d+\)"))
    saved = lab.saved_analysis()
    assert saved["tags"] == {"names": {"9": "spike A"}, "hide": [9]}
    page = open_results(client, lab)
    expect(page.locator(row(page, "trg-2"))).to_have_count(0)
    page.get_by_text("Tags (1 hidden) ▾").click()
    page.get_by_role("button", name="Show every tag").click()
    expect(page.locator(row(page, "trg-2"))).to_contain_text("spike A")


def test_the_graph_moves_and_hides_samples(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    graph = page.get_by_test_id("graph-svg")
    names = graph.locator("g.tick[data-sample] text")
    expect(names).to_have_text([re.compile("^diagnosis"), re.compile("^follow-up")])
    page.get_by_text("2/2 samples ▾").click()
    page.get_by_role("button", name="Move follow-up.vidjil left").click()
    expect(names).to_have_text([re.compile("^follow-up"), re.compile("^diagnosis")])
    page.keyboard.press("Escape")
    graph.locator("g.tick[data-sample]", has_text="diagnosis").dblclick()
    expect(names).to_have_count(1)
    expect(page.get_by_text("1/2 samples ▾")).to_be_visible()
    page.get_by_role("button", name="Save analysis").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Saved"))
    samples = lab.saved_analysis()["samples"]
    assert isinstance(samples, dict) and samples["order"] == [1]
    page.keyboard.press("Backspace")
    expect(names).to_have_count(2)


def test_clone_info_and_sequence_marks_with_the_germline_genes(
    client: ClientPage, lab: Lab
) -> None:
    page = open_results(client, lab)
    page.locator(row(page, DOMINANT)).click()
    page.locator(row(page, "igh-silent")).click(modifiers=["Control"])
    page.locator(row(page, "igh-mutant")).click(modifiers=["Control"])
    view = page.get_by_test_id("sequence-view")
    # One base differs in each: silent (same amino acid) for one, a mutation for the other.
    expect(view.locator('.sequence-line[data-id="igh-silent"] .mismatch.silent')).to_have_count(1)
    expect(
        view.locator('.sequence-line[data-id="igh-mutant"] .mismatch:not(.silent)')
    ).to_have_count(1)
    page.get_by_label("Germline genes").check()
    germline = view.locator(".germline-line")
    expect(germline).to_have_count(2)
    expect(germline.first).to_contain_text("IGHV3-23*01 (germline)")
    # The clone's 69 nt of V are the germline's (dots), then its 2 deleted nucleotides.
    v_line = (germline.first.locator("code").text_content() or "").strip()
    assert re.fullmatch(r"\.{69}[acgt]{2}", v_line), v_line
    page.get_by_role("tab", name="Clone info").click()
    info = page.get_by_test_id("clone-info")
    expect(info).to_contain_text("IGHV3-7*01")  # equally likely (W69)
    expect(info).to_contain_text("Coverage")
    expect(info).to_contain_text("(sequence 136 nt, reads 142 nt on average)")
    page.locator(row(page, "igh-oof")).click()
    expect(info).to_contain_text("out of frame")
    page.get_by_role("tab", name="Sequences").click()
    page.get_by_label("Amino acids").check()
    line = view.locator('.sequence-line[data-id="igh-oof"]')
    expect(line).to_contain_text("out of frame")
    expect(line.locator(".frameshift").first).to_contain_text("#")


def test_grid_presets_by_key(client: ClientPage, lab: Lab) -> None:
    page = open_results(client, lab)
    page.keyboard.press("8")
    expect(page.get_by_label("Grid or bar plot")).to_have_value("bars")
    expect(page.get_by_label("Grid X axis")).to_have_value("cdr3-length")
    expect(page.get_by_label("Grid preset (keys 1-9, 0)")).to_have_value("8")
    page.keyboard.press("0")
    expect(page.get_by_label("Grid Y axis")).to_have_value("size-next")
    page.keyboard.press("1")
    expect(page.get_by_label("Grid X axis")).to_have_value("v")
    expect(page.get_by_label("Grid Y axis")).to_have_value("j")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("grid presets")


def test_imported_results_keep_what_the_viewer_needs(lab: Lab) -> None:
    """The fused result the viewer reads carries the designations, W69 and read lengths."""
    params = {"config_id": lab.config_id}
    fused = lab.biologist.send("GET", f"/api/sample-sets/{lab.set_id}/results", params=params)
    clones = {clone["id"]: clone for clone in json.loads(fused.text)["clones"]}
    assert clones[DOMINANT]["reads"] == [12000, 30]
    assert clones[DOMINANT]["warn"][0]["code"] == "W69"
    assert clones[DOMINANT]["_average_read_length"][0] > 0
