"""End to end with the real app and real jobs: a patient with the simulated diagnosis and
follow-up FASTQ of tests/data/lab, analysed for IGH; then the browser opens the set's results,
shows the dominant clone in both samples, exports it as valid AIRR and saves a tag.

The set is prepared through the HTTP API (the login, sets and upload pages come later); the
browser gets the same session cookie, as it would after logging in."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import airr
import httpx
import pytest
from playwright.sync_api import expect

from tests.serving import serving
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

from .conftest import REPOSITORY, ClientPage
from .test_exports import export

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAB = REPOSITORY / "tests" / "data" / "lab"
ADMIN = {"email": "admin@lab.example", "password": "correct horse battery"}
SAMPLES = (("diagnosis", "2026-01-05"), ("follow-up", "2026-03-02"))


class LabApi:
    """The API as a browser uses it: CSRF cookie first, echoed on every change."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.http.get("/api/auth/status").raise_for_status()

    def send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        headers = {"x-csrftoken": self.http.cookies.get("csrftoken") or ""}
        response = self.http.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.is_success, f"{method} {url}: {response.status_code} {response.text}"
        return response


def prepare_patient(api: LabApi) -> tuple[int, int]:
    """First admin, a patient with both samples uploaded, the IGH analysis; waits for the fuse."""
    api.send("POST", "/api/auth/setup", json=ADMIN)
    patient = {"kind": "patient", "first_name": "Ada", "last_name": "Lovelace", "id_label": "P-7"}
    set_id: int = api.send("POST", "/api/sample-sets", json=patient).json()["id"]
    for name, date in SAMPLES:
        body = {"original_name": f"{name}.fastq.gz", "sampling_date": date}
        sample = api.send("POST", f"/api/sample-sets/{set_id}/samples", json=body).json()
        content = (LAB / f"{name}.fastq.gz").read_bytes()
        api.send("PUT", f"/api/samples/{sample['id']}/files/1", content=content)
    configs = {config["name"]: config["id"] for config in api.send("GET", "/api/configs").json()}
    config_id: int = configs["IGH"]
    api.send("POST", f"/api/sample-sets/{set_id}/analyses", json={"config_id": config_id})

    def fused() -> bool:
        answer = api.http.get(f"/api/sample-sets/{set_id}/results", params={"config_id": config_id})
        return answer.status_code == 200 and answer.json()["samples"]["number"] == len(SAMPLES)

    wait_until(fused, timeout=180, interval=0.5, what="the analysis of both samples did not finish")
    return set_id, config_id


def dominant_truth() -> dict[str, str]:
    with (LAB / "diagnosis.truth.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return max(rows, key=lambda row: int(row["reads"]))


@pytest.fixture
def lab_server(settings: Settings, built_client: Path) -> Iterator[str]:
    with serving(create_app(settings.with_values(workers_pool=2))) as url:
        yield url


def test_results_of_a_real_analysis_in_the_browser(
    client: ClientPage, lab_server: str, tmp_path: Path
) -> None:
    api = LabApi(lab_server)
    set_id, config_id = prepare_patient(api)
    client.page.context.add_cookies(
        [
            {"name": name, "value": value, "url": lab_server}
            for name, value in api.http.cookies.items()
        ]
    )
    client.base_url = lab_server
    page = client.open(f"?set={set_id}&config={config_id}")

    truth = dominant_truth()
    first = page.locator(".clone-list tbody tr").first
    expect(first.locator("td.cdr3-aa")).to_have_text(truth["cdr3_aa"])
    expect(first.locator("td").nth(2)).to_have_text(truth["v_call"].split("*")[0])
    expect(first.locator("td").nth(3)).to_have_text(truth["j_call"].split("*")[0])
    dominant = first.get_attribute("data-id") or ""

    curve = page.get_by_test_id("graph-svg").locator(f'g[data-id="{dominant}"]')
    title = curve.locator("title").text_content() or ""
    assert "diagnosis" in title and "follow-up" in title and "–" not in title

    first.click()
    path = export(page, "Selected clones (AIRR TSV)", tmp_path)
    assert airr.validate_rearrangement(str(path))
    rows = list(airr.read_rearrangement(str(path)))
    assert [row["junction_aa"] for row in rows] == [truth["junction_aa"]] * 2

    page.get_by_label("Tag the selected clones").select_option(label="dominant clone")
    page.get_by_role("button", name="Save analysis").click()
    expect(page.get_by_role("status")).to_have_text("Saved (version 1)")
    saved = api.send("GET", f"/api/sample-sets/{set_id}/analysis").json()
    assert {"id": dominant, "tag": 0} in saved["clones"]
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPOSITORY / "docs" / "screenshots" / "results-real-analysis.png"))
