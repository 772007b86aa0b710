"""Samples: metadata, several sets per sample, rights through sets, delete keeping shared ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from vidjil_local.services import audit

DATA = Path(__file__).parents[2] / "data" / "uploads"
ALL_RIGHTS = ("read", "create", "upload", "run", "save", "admin")


def new_set(api: Api, group_id: int, label: str = "P-1") -> int:
    response = api.post(
        "/api/sample-sets", json={"kind": "patient", "id_label": label, "group_id": group_id}
    )
    assert response.status_code == 201, response.text
    set_id: int = response.json()["id"]
    return set_id


def new_sample(api: Api, set_id: int, **fields: Any) -> dict[str, Any]:
    body = {"original_name": "diagnosis.fastq", **fields}
    response = api.post(f"/api/sample-sets/{set_id}/samples", json=body)
    assert response.status_code == 201, response.text
    sample: dict[str, Any] = response.json()
    return sample


def upload(api: Api, sample_id: int, data: bytes, number: int = 1) -> dict[str, Any]:
    response = api.put(f"/api/samples/{sample_id}/files/{number}", content=data)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def actions(lab: Lab, sample_id: int) -> list[str]:
    return [entry["action"] for entry in audit.entries(lab.database, "samples", sample_id)][::-1]


def test_create_list_read_and_edit_a_sample(admin_api: Api, lab: Lab) -> None:
    group = lab.group("hematology", ALL_RIGHTS)
    set_id = new_set(admin_api, group)
    sample = new_sample(
        admin_api,
        set_id,
        sampling_date="2026-03-01",
        info="diagnosis #IGH #day0",
        pcr="BIOMED-2",
        sequencer="MiSeq",
        producer="lab A",
    )
    assert sample["status"] == "waiting" and sample["paired"] is False
    assert sample["tags"] == ["day0", "igh"] and sample["set_ids"] == [set_id]
    listed = admin_api.get(f"/api/sample-sets/{set_id}/samples").json()
    assert [item["id"] for item in listed] == [sample["id"]]
    changed = admin_api.patch(
        f"/api/samples/{sample['id']}", json={"info": "follow-up #day30", "sampling_date": ""}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["tags"] == ["day30"] and changed.json()["sampling_date"] is None
    assert admin_api.get(f"/api/samples/{sample['id']}").json()["pcr"] == "BIOMED-2"
    assert actions(lab, sample["id"]) == ["create", "update"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"original_name": "a\x00b.fastq"}, "control characters"),
        ({"original_name": "x" * 300 + ".fastq"}, "at most 255"),
        ({"original_name": "../.."}, "not a file name"),
        ({"original_name": "r1.fastq", "sampling_date": "01/03/2026"}, "YYYY-MM-DD"),
        ({"original_name": "r1.fastq", "sampling_date": "2026-13-45"}, "YYYY-MM-DD"),
        ({"original_name": "r1.fastq", "sampling_date": "2026-02-30"}, "YYYY-MM-DD"),
        ({"original_name": "x\u202eqf.exe"}, "right-to-left override"),
        ({"original_name": "a\u2028b.fastq"}, "control characters"),
        ({"sampling_date": "2026-03-01"}, "original_name"),
    ],
)
def test_bad_metadata_is_refused(
    admin_api: Api, lab: Lab, fields: dict[str, str], message: str
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    response = admin_api.post(f"/api/sample-sets/{set_id}/samples", json=fields)
    assert response.status_code == 400, response.text
    assert message in response.text  # the message, or the validation details of the field
    assert admin_api.get(f"/api/sample-sets/{set_id}/samples").json() == []


def test_user_given_names_are_only_names(admin_api: Api, lab: Lab, tmp_path: Path) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    sample = new_sample(admin_api, set_id, original_name="../../../etc/passwd")
    assert sample["original_name"] == "passwd"
    absolute = new_sample(admin_api, set_id, original_name="/tmp/evil.fastq")
    assert absolute["original_name"] == "evil.fastq"
    upload(admin_api, sample["id"], (DATA / "good.fastq").read_bytes())
    sequences = lab.app.state.context.settings.sequences_dir
    assert sorted(path.name for path in sequences.iterdir()) == [f"{sample['id']}_1.fastq"]
    download = admin_api.get(f"/api/samples/{sample['id']}/files/1")
    assert download.status_code == 200
    assert download.content == (DATA / "good.fastq").read_bytes()
    assert 'filename="passwd"' in download.headers["content-disposition"]


def test_other_groups_see_nothing_and_rights_are_per_set(admin_api: Api, lab: Lab) -> None:
    ours, theirs = lab.group("ours", ALL_RIGHTS), lab.group("theirs", ALL_RIGHTS)
    readers = lab.group("readers", ("read",))
    set_id = new_set(admin_api, ours)
    lab.database.db().execute("INSERT INTO set_access VALUES (?, ?)", [set_id, readers])
    sample = new_sample(admin_api, set_id)
    outsider = lab.user("outsider@lab.example", theirs)
    assert outsider.get(f"/api/sample-sets/{set_id}/samples").status_code == 404
    assert outsider.get(f"/api/samples/{sample['id']}").status_code == 404
    assert outsider.put(f"/api/samples/{sample['id']}/files/1", content=b"@r").status_code == 404
    assert outsider.get(f"/api/samples/{sample['id']}/files/1/status").status_code == 404
    assert outsider.delete(f"/api/samples/{sample['id']}").status_code == 404
    reader = lab.user("reader@lab.example", readers)
    assert reader.get(f"/api/samples/{sample['id']}").status_code == 200
    new = {"original_name": "x.fa"}
    assert reader.post(f"/api/sample-sets/{set_id}/samples", json=new).status_code == 403
    assert reader.patch(f"/api/samples/{sample['id']}", json={"info": "x"}).status_code == 403
    assert reader.put(f"/api/samples/{sample['id']}/files/1", content=b"@r").status_code == 403
    assert reader.delete(f"/api/samples/{sample['id']}").status_code == 403
    member = lab.user("member@lab.example", ours)
    created = member.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": "y.fa"})
    assert created.status_code == 201


def test_a_sample_in_two_sets_is_deleted_from_one_then_the_other(admin_api: Api, lab: Lab) -> None:
    group = lab.group("lab", ALL_RIGHTS)
    patient, run = new_set(admin_api, group, "P-1"), new_set(admin_api, group, "RUN-1")
    sample = new_sample(admin_api, patient)
    upload(admin_api, sample["id"], (DATA / "good.fastq").read_bytes())
    added = admin_api.post(f"/api/samples/{sample['id']}/sets", json={"set_id": run})
    assert added.status_code == 200 and added.json()["set_ids"] == [patient, run]
    again = admin_api.post(f"/api/samples/{sample['id']}/sets", json={"set_id": run})
    assert again.status_code == 409
    stored = lab.app.state.context.settings.sequences_dir / f"{sample['id']}_1.fastq"

    unlinked = admin_api.delete(f"/api/samples/{sample['id']}", params={"set_id": patient})
    assert unlinked.status_code == 200, unlinked.text
    assert unlinked.json()["set_ids"] == [run] and unlinked.json()["status"] == "ready"
    assert admin_api.get(f"/api/sample-sets/{patient}/samples").json() == []
    assert stored.exists(), "the run still holds the sample: its file stays"

    deleted = admin_api.delete(f"/api/samples/{sample['id']}", params={"set_id": run}).json()
    assert deleted["status"] == "deleted" and deleted["set_ids"] == [run]
    assert not stored.exists() and deleted["received"] is False
    assert admin_api.get(f"/api/samples/{sample['id']}/files/1").status_code == 404
    assert admin_api.delete(f"/api/samples/{sample['id']}").status_code == 409
    assert actions(lab, sample["id"]) == [
        "create",
        "upload_started",
        "upload_completed",
        "add_to_set",
        "remove_from_set",
        "delete",
    ]


def test_adding_to_another_set_needs_upload_on_both(admin_api: Api, lab: Lab) -> None:
    ours, theirs = lab.group("ours", ALL_RIGHTS), lab.group("theirs", ALL_RIGHTS)
    our_set, their_set = new_set(admin_api, ours, "A"), new_set(admin_api, theirs, "B")
    sample = new_sample(admin_api, our_set)
    member = lab.user("member@lab.example", ours)
    refused = member.post(f"/api/samples/{sample['id']}/sets", json={"set_id": their_set})
    assert refused.status_code == 404
    assert admin_api.get(f"/api/samples/{sample['id']}").json()["set_ids"] == [our_set]


def test_a_shared_sample_shows_only_the_sets_each_user_may_read(admin_api: Api, lab: Lab) -> None:
    ours, theirs = lab.group("ours", ALL_RIGHTS), lab.group("theirs", ALL_RIGHTS)
    our_set, their_set = new_set(admin_api, ours, "A"), new_set(admin_api, theirs, "B")
    sample = new_sample(admin_api, our_set)
    admin_api.post(f"/api/samples/{sample['id']}/sets", json={"set_id": their_set})
    member = lab.user("member@lab.example", ours)
    assert member.get(f"/api/samples/{sample['id']}").json()["set_ids"] == [our_set]
    listed = member.get(f"/api/sample-sets/{our_set}/samples").json()
    assert [item["set_ids"] for item in listed] == [[our_set]]
    removed = member.delete(f"/api/samples/{sample['id']}")
    assert removed.status_code == 200 and removed.json()["set_ids"] == []
    kept = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert kept["set_ids"] == [their_set] and kept["status"] == "waiting"


@pytest.mark.parametrize("number", ["0", "3", "-1", "..%2F..%2Fx", "1%00"])
def test_file_numbers_other_than_1_and_2_lead_nowhere(
    admin_api: Api, lab: Lab, number: str
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    sample = new_sample(admin_api, set_id, original_name2="r2.fastq")
    response = admin_api.put(
        f"/api/samples/{sample['id']}/files/{number}", content=b"@r\nA\n+\nI\n"
    )
    assert response.status_code in (400, 404), response.text
    assert list(lab.app.state.context.settings.sequences_dir.iterdir()) == []
