"""A `.vidjil` of several samples picked in the file source becomes one sample per sample, as the
same file uploaded does (test_vidjil_samples.py): same names and counts, same refusals of a
malformed file (nothing made), same finishing at the next start of a split killed after its
commit."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_vidjil_samples import (
    VIDJIL,
    Killed,
    Patient,
    counts_in,
    fill_the_disk_at_the_third_sample,
    finished_at_restart,
)
from vidjil_local.services import audit
from vidjil_local.services.samples import vidjil_samples
from vidjil_local.settings import Settings


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "nas" / "run3"
    folder.mkdir(parents=True)
    (folder / "course.vidjil").write_bytes((VIDJIL / "fused_multiple.vidjil").read_bytes())
    (folder / "one.vidjil").write_bytes((VIDJIL / "one-sample.vidjil").read_bytes())
    return folder.parent


@pytest.fixture
def settings(settings: Settings, source: Path) -> Settings:
    return settings.with_values(file_source=source)  # the default file_types: .vidjil picked


def pick(patient: Patient, *paths: str) -> httpx.Response:
    url = f"/api/sample-sets/{patient.set_id}/samples/from-source"
    return patient.api.post(url, json={"paths": list(paths), "pcr": "BIOMED-2"})


def test_a_fused_vidjil_file_picked_in_the_file_source_makes_three_samples(
    admin_api: Api, lab: Lab, settings: Settings, source: Path
) -> None:
    patient = Patient(admin_api, lab)
    original = json.loads((source / "run3" / "course.vidjil").read_text())
    answer = pick(patient, "run3/course.vidjil", "run3/one.vidjil")
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert [s["original_name"] for s in made] == [
        "file_1.fastq", "file_2.fastq", "file_3.fastq", "one.vidjil",
    ]  # fmt: skip
    assert [s["id"] for s in patient.samples()] == [s["id"] for s in made]
    assert {s["status"] for s in made} == {"ready"} and {s["pcr"] for s in made} == {"BIOMED-2"}
    assert [s["network"] for s in made] == [False, False, False, True]  # copies, and a link
    assert made[2]["status_message"] == "sample 3 of 3 in run3/course.vidjil (a Vidjil file)"
    first = made[0]["id"]
    actions = [e["action"] for e in audit.entries(lab.database, "samples", first)]
    assert "source_split" in actions and "link_source_file" in actions
    stored = sorted(p.name for p in settings.sequences_dir.iterdir())
    assert stored == sorted(f"{s['id']}_1.vidjil" for s in made[:3])
    assert (source / "run3" / "course.vidjil").exists(), "the source's file is left as it was"

    fused = patient.import_all()
    for index, sample in enumerate(made[:3]):
        own = patient.result_of(sample["id"])
        assert own["samples"]["number"] == 1
        assert own["reads"]["total"] == [original["reads"]["total"][index]]
        assert counts_in(own, 0) == counts_in(original, index)
    names = ["file_1.fastq", "file_2.fastq", "file_3.fastq"]
    assert fused["samples"]["original_names"][:3] == names
    assert fused["reads"]["total"][:3] == original["reads"]["total"]


def test_a_malformed_multi_sample_file_in_the_file_source_is_refused_naming_the_field(
    admin_api: Api, lab: Lab, settings: Settings, source: Path
) -> None:
    patient = Patient(admin_api, lab)
    broken = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    broken["clones"][4]["reads"][1] = "many"
    too_many = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    too_many["clones"][2]["reads"].append(7)
    for content, problem in [
        (broken, "clones[4].reads[1]: 'many' is not a number"),
        (too_many, "clones[2].reads: 4 read counts for 3 samples"),
    ]:
        (source / "run3" / "time-course.vidjil").write_text(json.dumps(content))
        answer = pick(patient, "run3/one.vidjil", "run3/time-course.vidjil")
        assert answer.status_code == 422, answer.text
        message = answer.json()["error"]["message"]
        assert message.startswith("time-course.vidjil") and problem in message, message
    assert patient.samples() == [], "nothing made, not even the good file picked with it"
    assert list(settings.sequences_dir.iterdir()) == []


def test_a_split_of_a_picked_file_killed_after_its_commit_is_finished_at_the_next_start(
    admin_api: Api, lab: Lab, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = Patient(admin_api, lab)

    def die(*args: object) -> None:
        raise Killed("after the commit, before the files took their names")

    monkeypatch.setattr(vidjil_samples, "_move_into_place", die)
    assert pick(patient, "run3/course.vidjil").status_code == 500
    monkeypatch.undo()
    folder = settings.sequences_dir
    ids = [s["id"] for s in patient.samples()]
    assert len(ids) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted(f".{i}_1.vidjil.pending" for i in ids)
    finished_at_restart(settings, ids)
    last = json.loads((folder / f"{ids[-1]}_1.vidjil").read_text())
    assert last["samples"]["original_names"] == ["file_3.fastq"]


def test_a_split_of_a_picked_file_failing_before_its_commit_makes_nothing(
    admin_api: Api, lab: Lab, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = Patient(admin_api, lab)
    fill_the_disk_at_the_third_sample(monkeypatch)
    assert pick(patient, "run3/course.vidjil").status_code == 507
    assert patient.samples() == []
    assert list(settings.sequences_dir.iterdir()) == []  # no pending file left
