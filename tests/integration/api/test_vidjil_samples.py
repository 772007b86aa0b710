"""A `.vidjil` written by Vidjil with several samples (a fused time course) uploaded to a set
becomes one sample per listed sample, each imported with its own counts; the set's fused result
then compares them as Vidjil's file did. Files from vidjil/vidjil (tests/data/vidjil/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.services import audit
from vidjil_local.services.samples import vidjil_samples
from vidjil_local.settings import Settings

VIDJIL = Path(__file__).parents[2] / "data" / "vidjil"
RIGHTS = ("read", "create", "upload", "run", "save")


class Patient:
    def __init__(self, api: Api, lab: Lab) -> None:
        self.api, self.lab = api, lab
        group = lab.group("ours", RIGHTS)
        created = api.post(
            "/api/sample-sets", json={"kind": "patient", "id_label": "P-1", "group_id": group}
        )
        assert created.status_code == 201, created.text
        self.set_id: int = created.json()["id"]
        configs = api.get("/api/configs").json()
        self.config = int(next(c["id"] for c in configs if c["program"] == "import"))

    def upload(self, name: str, content: bytes) -> tuple[int, Any]:
        url = f"/api/sample-sets/{self.set_id}/samples"
        sample = self.api.post(url, json={"original_name": name, "pcr": "BIOMED-2"}).json()
        return int(sample["id"]), self.api.put(
            f"/api/samples/{sample['id']}/files/1", content=content
        )

    def samples(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.api.get(f"/api/sample-sets/{self.set_id}/samples").json()
        return found

    def import_all(self) -> dict[str, Any]:
        """Launch the import config on the set's samples; the fused result once all are in."""
        launch = {"config_id": self.config}
        launched = self.api.post(f"/api/sample-sets/{self.set_id}/analyses", json=launch)
        assert launched.status_code == 201, launched.text
        wanted = len(self.samples())

        def fused() -> dict[str, Any] | None:
            jobs = self.api.get(f"/api/sample-sets/{self.set_id}/jobs").json()
            assert not [job for job in jobs if job["status"] == "failed"], jobs
            answer = self.api.get(
                f"/api/sample-sets/{self.set_id}/results", params={"config_id": self.config}
            )
            if answer.status_code != 200 or answer.json()["samples"]["number"] != wanted:
                return None
            document: dict[str, Any] = answer.json()
            return document

        return wait_until(fused, timeout=60, interval=0.2, what="the set's fuse of every sample")

    def result_of(self, sample_id: int) -> dict[str, Any]:
        results = self.api.get(f"/api/sample-sets/{self.set_id}/result-files").json()
        result_id = next(r["id"] for r in results if r["sample_id"] == sample_id)
        document: dict[str, Any] = self.api.get(f"/api/results/{result_id}/vidjil").json()
        return document


def counts_in(document: dict[str, Any], sample: int) -> dict[str, int]:
    """{clone id: reads in `sample`} of the clones with reads there (a missing count is 0)."""
    counts = {}
    for clone in document["clones"]:
        reads = clone["reads"]
        if sample < len(reads) and reads[sample] > 0:
            counts[clone["id"]] = reads[sample]
    return counts


def test_a_fused_vidjil_file_of_three_samples_makes_three_samples(admin_api: Api, lab: Lab) -> None:
    patient = Patient(admin_api, lab)
    content = (VIDJIL / "fused_multiple.vidjil").read_bytes()
    original = json.loads(content)
    uploaded_id, answer = patient.upload("fused_multiple.vidjil", content)
    assert answer.status_code == 200, answer.text
    assert answer.json()["complete"] and answer.json()["sample_status"] == "ready"

    made = patient.samples()
    assert [s["original_name"] for s in made] == ["file_1.fastq", "file_2.fastq", "file_3.fastq"]
    assert made[0]["id"] == uploaded_id  # the uploaded sample takes the first
    assert {s["status"] for s in made} == {"ready"}
    assert {s["pcr"] for s in made} == {"BIOMED-2"}
    assert made[1]["status_message"] == "sample 2 of 3 in fused_multiple.vidjil (a Vidjil file)"
    split = audit.entries(lab.database, "samples", uploaded_id)
    assert [e for e in split if e["action"] == "upload_split"]

    fused = patient.import_all()
    for index, sample in enumerate(made):
        own = patient.result_of(sample["id"])
        assert own["samples"]["number"] == 1
        assert own["reads"]["total"] == [original["reads"]["total"][index]]
        assert own["reads"]["segmented"] == [original["reads"]["segmented"][index]]
        assert counts_in(own, 0) == counts_in(original, index)
        assert len(own["clones"]) == len(counts_in(original, index))  # absent clones: not there
    assert fused["samples"]["original_names"] == ["file_1.fastq", "file_2.fastq", "file_3.fastq"]
    assert fused["reads"]["total"] == original["reads"]["total"]
    expected = {c["id"]: c["reads"] for c in original["clones"] if any(c["reads"])}
    assert {c["id"]: c["reads"] for c in fused["clones"]} == expected


def test_two_samples_declared_with_one_count_per_clone_pad_the_second_with_none(
    admin_api: Api, lab: Lab
) -> None:
    patient = Patient(admin_api, lab)
    content = (VIDJIL / "analysis-example.vidjil").read_bytes()
    _, answer = patient.upload("analysis-example.vidjil", content)
    assert answer.status_code == 200, answer.text
    first, second = patient.samples()
    assert (first["original_name"], second["original_name"]) == ("helloworld", "nothingtoseehere")
    patient.import_all()
    empty = patient.result_of(second["id"])
    assert empty["reads"]["total"] == [200] and empty["clones"] == []
    full = patient.result_of(first["id"])
    assert counts_in(full, 0) == counts_in(json.loads(content), 0)
    assert len(full["clones"]) == 98  # of 99: one clone has no read


def test_a_malformed_multi_sample_file_is_refused_naming_the_field_and_keeps_the_rest(
    admin_api: Api, lab: Lab
) -> None:
    patient = Patient(admin_api, lab)
    kept_id, kept = patient.upload("S01.vidjil", (VIDJIL / "one-sample.vidjil").read_bytes())
    assert kept.status_code == 200, kept.text
    broken = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    broken["clones"][4]["reads"][1] = "many"
    too_many = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    too_many["clones"][2]["reads"].append(7)
    for content, problem in [
        (broken, "clones[4].reads[1]: 'many' is not a number"),
        (too_many, "clones[2].reads: 4 read counts for 3 samples"),
    ]:
        sample_id, answer = patient.upload("time-course.vidjil", json.dumps(content).encode())
        assert answer.status_code == 422, answer.text
        message = answer.json()["error"]["message"]
        assert message.startswith("time-course.vidjil") and problem in message, message
        refused = admin_api.get(f"/api/samples/{sample_id}").json()
        assert refused["status"] == "invalid" and problem in refused["status_message"]
    names = [(s["id"], s["original_name"], s["status"]) for s in patient.samples()]
    assert names[0] == (kept_id, "S01.vidjil", "ready")
    assert [status for _, _, status in names[1:]] == ["invalid", "invalid"]  # nothing made
    stored = lab.app.state.context.settings.sequences_dir
    assert sorted(p.name for p in stored.iterdir()) == [f"{kept_id}_1.vidjil"]


def test_the_samples_of_the_file_join_every_set_holding_the_uploaded_one(
    admin_api: Api, lab: Lab
) -> None:
    patient = Patient(admin_api, lab)
    run = admin_api.post("/api/sample-sets", json={"kind": "run", "name": "run 12"}).json()["id"]
    url = f"/api/sample-sets/{patient.set_id}/samples"
    sample = admin_api.post(url, json={"original_name": "course.vidjil"}).json()
    linked = admin_api.post(f"/api/samples/{sample['id']}/sets", json={"set_id": run})
    assert linked.status_code == 200, linked.text
    content = (VIDJIL / "fused_multiple.vidjil").read_bytes()
    answer = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=content)
    assert answer.status_code == 200, answer.text
    in_patient = [s["id"] for s in patient.samples()]
    in_run = [s["id"] for s in admin_api.get(f"/api/sample-sets/{run}/samples").json()]
    assert len(in_patient) == 3 and in_run == in_patient


def finished_at_restart(settings: Settings, ids: list[int]) -> None:
    """Start the app again: every sample of the interrupted split is ready, its file in place."""
    with local_client(create_app(settings, start_jobs=True)) as client:
        api = Api(client)
        assert api.login(ADMIN["email"], ADMIN["password"]).status_code == 200
        for sample_id in ids:
            status = api.get(f"/api/samples/{sample_id}/files/1/status").json()
            assert status["complete"] and status["sample_status"] == "ready", status
    names = sorted(p.name for p in settings.sequences_dir.iterdir())
    assert names == sorted(f"{i}_1.vidjil" for i in ids)


def fill_the_disk_at_the_third_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """The split's third sample file meets a full disk (the first two were written)."""
    written = vidjil_samples._written
    calls: list[Path] = []

    def disk_full(path: Path, result: Any) -> tuple[int, str]:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return written(path, result)

    monkeypatch.setattr(vidjil_samples, "_written", disk_full)


class Killed(Exception):
    """Where the server died."""


def test_a_split_killed_after_its_commit_is_finished_at_the_next_start(
    admin_api: Api, lab: Lab, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = Patient(admin_api, lab)

    def die(*args: object) -> None:
        raise Killed("after the commit, before the files took their names")

    monkeypatch.setattr(vidjil_samples, "_move_into_place", die)
    _, cut = patient.upload("course.vidjil", (VIDJIL / "fused_multiple.vidjil").read_bytes())
    assert cut.status_code == 500
    monkeypatch.undo()
    folder = settings.sequences_dir
    ids = [s["id"] for s in patient.samples()]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{ids[0]}_1.part"] + [f".{i}_1.vidjil.pending" for i in ids]
    )
    half_written = folder / f"..{ids[-1] + 1}_1.vidjil.pending.k3x9q_1z.writing"
    half_written.write_text('{"vidjil_json_version": ')  # another split, killed mid-write
    finished_at_restart(settings, ids)
    first = json.loads((folder / f"{ids[0]}_1.vidjil").read_text())
    assert first["samples"]["original_names"] == ["file_1.fastq"]


def test_a_split_failing_before_its_commit_leaves_the_upload_as_it_was(
    admin_api: Api, lab: Lab, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = Patient(admin_api, lab)
    fill_the_disk_at_the_third_sample(monkeypatch)
    sample_id, cut = patient.upload(
        "course.vidjil", (VIDJIL / "fused_multiple.vidjil").read_bytes()
    )
    assert cut.status_code == 507, cut.text  # the disk is full: said as such
    kept = admin_api.get(f"/api/samples/{sample_id}").json()
    assert (kept["original_name"], kept["status"]) == ("course.vidjil", "uploading")
    assert [s["id"] for s in patient.samples()] == [sample_id]
    names = [p.name for p in settings.sequences_dir.iterdir()]
    assert names == [f"{sample_id}_1.part"]  # every byte kept, no pending file left
    monkeypatch.undo()  # space freed: the client's resume asks for the finish alone
    size = (settings.sequences_dir / names[0]).stat().st_size
    url = f"/api/samples/{sample_id}/files/1"
    finished = admin_api.put(url, params={"offset": size}, content=b"")
    assert finished.status_code == 200 and finished.json()["complete"], finished.text
    assert [s["status"] for s in patient.samples()] == ["ready"] * 3
