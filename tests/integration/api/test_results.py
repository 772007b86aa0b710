"""Results: imports made elsewhere, clone lists, downloads, the fused result and `.analysis`
versions, with their rights and audit entries. Results come from real `import` jobs."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from tests.waiting import wait_until
from vidjil_local.services import audit

VIDJIL = Path(__file__).parents[2] / "data" / "vidjil"
ALL_RIGHTS = ("read", "create", "upload", "run", "save", "admin")
AIRR = (
    "sequence_id\tlocus\tduplicate_count\tv_call\td_call\tj_call\tjunction\tjunction_aa"
    "\tproductive\tsequence\n"
    "r1\tTRB\t40\tTRBV5-1*01\t\tTRBJ2-7*01\tTGTGCCAGCAGCTTGGGCTTT\tCASSLGF\tT"
    "\tGGGTGTGCCAGCAGCTTGGGCTTTGGG\n"
    "r2\tIGH\t7\tIGHV3-23*01\t\tIGHJ4*02\tTGTGCGAGATAGTGG\tCAR*W\tF\tAATGTGCGAGATAGTGGAA\n"
    "r3\tTRB\t2\tTRBV5-1*01\t\tTRBJ2-7*01\tTGTGCCAGCAGCTTGGGCTTT\tCASSLGF\tT"
    "\tGGGTGTGCCAGCAGCTTGGGCTTTGGG\n"
)


class Patient:
    def __init__(self, api: Api, lab: Lab) -> None:
        self.api, self.lab = api, lab
        self.group = lab.group("ours", ALL_RIGHTS)
        created = api.post(
            "/api/sample-sets", json={"kind": "patient", "id_label": "P-9", "group_id": self.group}
        )
        assert created.status_code == 201, created.text
        self.set_id: int = created.json()["id"]
        configs = {c["name"]: c["id"] for c in api.get("/api/configs").json()}
        self.import_config: int = configs["import"]

    def add_file(self, name: str, content: bytes) -> int:
        """A ready sample whose file is already in sequences_dir (uploads take reads files only,
        so a file to import is placed as an administrator would link it)."""
        response = self.api.post(
            f"/api/sample-sets/{self.set_id}/samples", json={"original_name": name}
        )
        assert response.status_code == 201, response.text
        sample_id: int = response.json()["id"]
        settings = self.lab.app.state.context.settings
        (settings.sequences_dir / f"import-{sample_id}").write_bytes(content)
        with self.lab.database.write() as db:
            db.execute(
                "UPDATE samples SET status = 'ready', stored_name = ? WHERE id = ?",
                [f"import-{sample_id}", sample_id],
            )
        return sample_id

    def run_import(self) -> list[dict[str, Any]]:
        launched = self.api.post(
            f"/api/sample-sets/{self.set_id}/analyses", json={"config_id": self.import_config}
        )
        assert launched.status_code == 201, launched.text

        def finished() -> list[dict[str, Any]] | None:
            jobs: list[dict[str, Any]] = self.api.get(f"/api/sample-sets/{self.set_id}/jobs").json()
            done = jobs and all(j["status"] in ("completed", "failed") for j in jobs)
            return jobs if done else None

        return wait_until(finished, timeout=60, interval=0.2, what="jobs still running")

    def result_id(self, sample_id: int) -> int:
        results = self.api.get(f"/api/sample-sets/{self.set_id}/result-files").json()
        return int(next(r["id"] for r in results if r["sample_id"] == sample_id))


@pytest.fixture
def patient(admin_api: Api, lab: Lab) -> Patient:
    return Patient(admin_api, lab)


def test_an_imported_vidjil_file_becomes_a_result_and_its_clone_list(patient: Patient) -> None:
    sample_id = patient.add_file("S01.vidjil", (VIDJIL / "one-sample.vidjil").read_bytes())
    jobs = patient.run_import()
    assert [j["status"] for j in jobs if j["kind"] == "analysis"] == ["completed"]
    result_id = patient.result_id(sample_id)
    url = f"/api/results/{result_id}/clones"
    page = patient.api.get(url).json()
    assert page["total"] == 6 and page["samples"] == ["S01.vidjil"]
    assert [c["reads"][0] for c in page["clones"]] == sorted(
        (c["reads"][0] for c in page["clones"]), reverse=True
    )
    assert [c["id"] for c in patient.api.get(url, params={"locus": "TRG"}).json()["clones"]] == [
        "trg-a",
        "trg-b",
    ]
    found = patient.api.get(url, params={"search": "cakSRITM"}).json()
    assert [c["id"] for c in found["clones"]] == ["igh-a"]
    second = patient.api.get(url, params={"limit": 2, "offset": 2, "sort": "id"}).json()
    assert [c["id"] for c in second["clones"]] == sorted(c["id"] for c in page["clones"])[2:4]
    assert patient.api.get(url, params={"sort": "secret"}).status_code == 400
    fused_url = f"/api/sample-sets/{patient.set_id}/results"
    fused = patient.api.get(fused_url, params={"config_id": patient.import_config})
    assert fused.status_code == 200 and fused.json()["samples"]["number"] == 1


def test_an_imported_airr_file_keeps_calls_junctions_and_productivity(patient: Patient) -> None:
    sample_id = patient.add_file("elsewhere.tsv", AIRR.encode())
    gzipped_id = patient.add_file("elsewhere.tsv.gz", gzip.compress(AIRR.encode()))
    patient.run_import()
    url = f"/api/results/{patient.result_id(sample_id)}/clones"
    clones = patient.api.get(url).json()["clones"]
    assert [(c["locus"], c["reads"], c["junction_aa"]) for c in clones] == [
        ("TRB", [42], "CASSLGF"),  # two rows of one junction make one clone
        ("IGH", [7], "CAR*W"),
    ]
    from_gzip = patient.api.get(f"/api/results/{patient.result_id(gzipped_id)}/clones").json()
    assert from_gzip["clones"] == clones
    unproductive = patient.api.get(url, params={"productive": "false"}).json()["clones"]
    assert [c["v_call"] for c in unproductive] == ["IGHV3-23*01"]


def test_bad_imports_fail_with_their_reason(patient: Patient) -> None:
    patient.add_file("two.vidjil", (VIDJIL / "two-samples-mrd.vidjil").read_bytes())
    patient.add_file("junk.bin", bytes(range(256)) * 4)
    gone = patient.add_file("gone.vidjil", b"{}")
    (patient.lab.app.state.context.settings.sequences_dir / f"import-{gone}").unlink()
    finished = patient.run_import()
    assert {job["attempts"] for job in finished} == {1}  # bad input: failed, not retried
    errors = {job["sample_name"]: job["error"] for job in finished}
    assert errors["gone.vidjil"] == "gone.vidjil: cannot open: No such file or directory"
    assert errors["two.vidjil"].startswith(
        "two.vidjil: an imported .vidjil must hold one sample, not 2"
    )
    assert errors["junk.bin"].startswith("junk.bin: neither a .vidjil nor an AIRR TSV file")


def test_downloads_are_the_files_and_reads_are_audited(patient: Patient) -> None:
    sample_id = patient.add_file("S01.vidjil", (VIDJIL / "one-sample.vidjil").read_bytes())
    patient.run_import()
    result_id = patient.result_id(sample_id)
    vidjil = patient.api.get(f"/api/results/{result_id}/vidjil")
    assert vidjil.status_code == 200 and vidjil.headers["content-type"].startswith(
        "application/json"
    )
    assert len(vidjil.json()["clones"]) == 6
    airr = patient.api.get(f"/api/results/{result_id}/airr")
    assert airr.status_code == 200 and airr.text.startswith("sequence_id\t")
    assert len(airr.text.splitlines()) == 7
    summary = patient.api.get(f"/api/results/{result_id}").json()
    assert summary["sample_id"] == sample_id and summary["summary"]["clones"] == 6
    viewed = audit.entries(patient.lab.database, "results", result_id)
    assert [e["action"] for e in viewed].count("view_result") == 1
    for _ in range(3):
        assert patient.api.get(f"/api/results/{result_id}/clones").status_code == 200
    actions = [e["action"] for e in audit.entries(patient.lab.database, "results", result_id)]
    assert actions.count("download_result") == 2
    assert actions.count("view_result") == 1  # paging through a list is one view a minute


def test_a_result_file_gone_from_disk_is_named_without_the_server_path(patient: Patient) -> None:
    """A 404 for a file missing from the data folder (a disk restored by hand, a bad copy) names
    the file for the lab, never where the server keeps it."""
    sample_id = patient.add_file("S01.vidjil", (VIDJIL / "one-sample.vidjil").read_bytes())
    patient.run_import()
    result_id = patient.result_id(sample_id)
    results_dir = patient.lab.app.state.context.settings.results_dir
    for stored in results_dir.rglob("*.vidjil"):
        stored.unlink()
    for url in (f"/api/results/{result_id}/vidjil", f"/api/results/{result_id}/clones"):
        answer = patient.api.get(url)
        assert answer.status_code == 404, url
        assert "is missing" in answer.text, url
        assert str(results_dir) not in answer.text and "/results/" not in answer.text, answer.text


def test_other_groups_cannot_read_results(patient: Patient) -> None:
    sample_id = patient.add_file("S01.vidjil", (VIDJIL / "one-sample.vidjil").read_bytes())
    patient.run_import()
    result_id = patient.result_id(sample_id)
    outsider = patient.lab.user("outsider@lab.example", patient.lab.group("theirs", ALL_RIGHTS))
    for url in (
        f"/api/results/{result_id}",
        f"/api/results/{result_id}/clones",
        f"/api/results/{result_id}/vidjil",
        f"/api/results/{result_id}/airr",
        f"/api/sample-sets/{patient.set_id}/results?config_id={patient.import_config}",
        f"/api/sample-sets/{patient.set_id}/clones?config_id={patient.import_config}",
        f"/api/sample-sets/{patient.set_id}/result-files",
        f"/api/sample-sets/{patient.set_id}/analysis",
    ):
        assert outsider.get(url).status_code == 404, url
    member = patient.lab.user("member@lab.example", patient.group)
    assert member.get(f"/api/results/{result_id}/clones").status_code == 200


def test_no_fused_result_before_an_analysis(patient: Patient) -> None:
    response = patient.api.get(f"/api/sample-sets/{patient.set_id}/results?config_id=1")
    assert response.status_code == 404 and "no fused result" in response.text


def test_a_save_from_an_older_version_is_refused_not_lost(patient: Patient) -> None:
    """Two tabs (or two colleagues) opened the same analysis; the second save silently replaced
    the first one's tags. Saved with the version it was opened at, a save made over a newer one
    is refused with who saved it; without one (a script), it is saved as before."""
    url = f"/api/sample-sets/{patient.set_id}/analysis"
    first = {"clones": [{"id": "igh-a", "tag": 9}], "clusters": []}
    second = {"clones": [{"id": "trg-a", "name": "tab B"}], "clusters": []}
    opened = patient.api.post(url, json={"clones": [], "clusters": []}).json()["version"]
    tab_a = patient.api.post(url, params={"base_version": opened}, json=first)
    assert tab_a.status_code == 201
    tab_b = patient.api.post(url, params={"base_version": opened}, json=second)
    assert tab_b.status_code == 409
    error = tab_b.json()["error"]
    assert error["details"]["current_version"] == tab_a.json()["version"]
    assert "saved again since you opened it" in error["message"]
    assert "admin@lab.example" in error["message"] or "@" in error["message"]
    assert patient.api.get(url).json() == first
    never_saved = patient.api.post(
        f"/api/sample-sets/{patient.set_id}/analysis", params={"base_version": 0}, json=second
    )
    assert never_saved.status_code == 409
    assert patient.api.post(url, json=second).status_code == 201


def test_analysis_files_are_versioned_and_need_the_save_right(patient: Patient) -> None:
    url = f"/api/sample-sets/{patient.set_id}/analysis"
    empty = patient.api.get(url)
    assert "clones" not in empty.json() and "x-analysis-version" not in empty.headers
    first = {"clones": [{"id": "igh-a", "name": "the leukemic clone", "tag": 0}], "clusters": []}
    second = {**first, "clusters": [["igh-a", "trg-a"]], "tags": {"names": {"0": "MRD"}}}
    saved = [patient.api.post(url, json=content) for content in (first, second)]
    assert [response.status_code for response in saved] == [201, 201]
    versions = [response.json()["version"] for response in saved]
    latest = patient.api.get(url)
    assert latest.json() == second and latest.headers["x-analysis-version"] == str(versions[1])
    assert patient.api.get(url, params={"version": versions[0]}).json() == first
    listed = patient.api.get(f"{url}/versions").json()
    assert [v["version"] for v in listed] == versions[::-1]
    assert patient.api.get(url, params={"version": 999}).status_code == 404
    assert patient.api.post(url, json={"clusters": "igh-a"}).status_code == 400
    reader_group = patient.lab.group("readers", ("read",))
    patient.lab.database.db().execute(
        "INSERT INTO set_access VALUES (?, ?)", [patient.set_id, reader_group]
    )
    reader = patient.lab.user("reader@lab.example", reader_group)
    assert reader.get(url).json() == second
    assert reader.post(url, json=first).status_code == 403
    entries = audit.entries(patient.lab.database, "sample_sets", patient.set_id)
    assert [e["details"]["version"] for e in entries if e["action"] == "save_analysis"] == (
        versions[::-1]
    )
