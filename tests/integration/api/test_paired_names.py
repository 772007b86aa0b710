"""A pair named otherwise than its R1 (the common part of its two names) keeps each file's own
name: the R1's in `original_name1`, for its download, the set's archive, resume and messages."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_set

R1_NAME = "PAT1-diag_S1_L001_R1_001.fastq"
R2_NAME = "PAT1-diag_S1_L001_R2_001.fastq"
PAIR = {"original_name": "PAT1-diag_S1_L001.fastq", "original_name2": R2_NAME}


def new_pair(api: Api, set_id: int, **names: Any) -> dict[str, Any]:
    response = api.post(f"/api/sample-sets/{set_id}/samples", json={**PAIR, **names})
    assert response.status_code == 201, response.text
    sample: dict[str, Any] = response.json()
    return sample


def put(api: Api, sample_id: int, number: int, data: bytes, start: int, total: int) -> Any:
    headers = {"content-range": f"bytes {start}-{start + len(data) - 1}/{total}"}
    url = f"/api/samples/{sample_id}/files/{number}"
    return api.client.put(url, content=data, headers={**headers, **api._headers()})


def download_name(api: Api, sample_id: int, number: int) -> str:
    response = api.get(f"/api/samples/{sample_id}/files/{number}")
    assert response.status_code == 200, response.text
    return response.headers["content-disposition"]


def test_a_named_pair_is_uploaded_resumed_downloaded_and_archived_by_its_files_names(
    admin_api: Api, lab: Lab
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    sample = new_pair(admin_api, set_id, original_name1=f"run-7/{R1_NAME}")
    assert (sample["original_name"], sample["original_name1"], sample["original_name2"]) == (
        PAIR["original_name"],
        R1_NAME,  # a name, never a path
        R2_NAME,
    )
    r1, r2 = (DATA / "r1.fastq").read_bytes(), (DATA / "r2.fastq").read_bytes()
    half = len(r1) // 2
    assert put(admin_api, sample["id"], 1, r1[:half], 0, len(r1)).status_code == 200
    status = admin_api.get(f"/api/samples/{sample['id']}/files/1/status").json()
    assert status["received"] == half and not status["complete"]  # resumed from there
    assert put(admin_api, sample["id"], 1, r1[half:], half, len(r1)).status_code == 200
    assert put(admin_api, sample["id"], 2, r2, 0, len(r2)).status_code == 200
    [listed] = admin_api.get(f"/api/sample-sets/{set_id}/samples").json()
    assert listed["status"] == "ready" and listed["original_name1"] == R1_NAME

    assert f'filename="{R1_NAME}"' in download_name(admin_api, sample["id"], 1)
    assert f'filename="{R2_NAME}"' in download_name(admin_api, sample["id"], 2)
    answer = admin_api.get(f"/api/sample-sets/{set_id}/archive.zip", params={"reads": "true"})
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    folder = "samples/01-PAT1-diag_S1_L001.fastq/reads"  # the sample's name, its files' own
    assert archive.read(f"{folder}/{R1_NAME}") == r1
    assert archive.read(f"{folder}/{R2_NAME}") == r2
    [described] = json.loads(archive.read("metadata.json"))["samples"]
    assert (described["original_name"], described["original_name1"]) == (
        PAIR["original_name"],
        R1_NAME,
    )

    renamed = admin_api.patch(f"/api/samples/{sample['id']}", json={"original_name": "PAT1"})
    assert renamed.json()["original_name1"] == R1_NAME, "renaming the sample renames no file"
    refused = admin_api.patch(f"/api/samples/{sample['id']}", json={"original_name1": "x.fq"})
    assert refused.status_code == 400, "a file's own name is what was sent: not edited"


def test_a_pair_named_after_its_r1_and_a_single_file_are_as_before(
    admin_api: Api, lab: Lab
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    same = new_pair(admin_api, set_id, original_name=R1_NAME, original_name1=R1_NAME)
    old_style = new_pair(admin_api, set_id, original_name=R1_NAME)
    single = admin_api.post(
        f"/api/sample-sets/{set_id}/samples", json={"original_name": "diagnosis.fastq"}
    ).json()
    assert [s["original_name1"] for s in (same, old_style, single)] == [
        R1_NAME,
        R1_NAME,
        "diagnosis.fastq",
    ]
    stored = lab.database.db().execute("SELECT original_name1 FROM samples ORDER BY id")
    assert stored.fetchall() == [(None,), (None,), (None,)], "kept only when it differs"
    # the single sample renamed: its download keeps following its name, as before
    admin_api.patch(f"/api/samples/{single['id']}", json={"original_name": "day0.fastq"})
    good = (DATA / "good.fastq").read_bytes()
    assert put(admin_api, single["id"], 1, good, 0, len(good)).status_code == 200
    assert 'filename="day0.fastq"' in download_name(admin_api, single["id"], 1)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ({"original_name2": None, "original_name1": R1_NAME}, "give original_name2 too"),
        ({"original_name1": "x_R1\u202eqf.exe"}, "control characters"),
        ({"original_name1": "a" * 256}, "at most 255 characters"),
        ({"original_name1": "../.."}, "not a file name"),
        ({"original_name1": ""}, "not a file name"),
        ({"original_name1": 12}, "original_name1"),
    ],
)
def test_a_bad_r1_name_is_refused_and_nothing_is_made(
    admin_api: Api, lab: Lab, names: dict[str, Any], message: str
) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    response = admin_api.post(f"/api/sample-sets/{set_id}/samples", json={**PAIR, **names})
    assert response.status_code == 400, response.text
    assert message in response.text
    assert admin_api.get(f"/api/sample-sets/{set_id}/samples").json() == []


def test_other_groups_neither_make_nor_read_a_named_pair(admin_api: Api, lab: Lab) -> None:
    ours, theirs = lab.group("ours", ALL_RIGHTS), lab.group("theirs", ALL_RIGHTS)
    set_id = new_set(admin_api, ours)
    sample = new_pair(admin_api, set_id, original_name1=R1_NAME)
    r1 = (DATA / "r1.fastq").read_bytes()
    assert put(admin_api, sample["id"], 1, r1, 0, len(r1)).status_code == 200
    outsider = lab.user("outsider@lab.example", theirs)
    made = outsider.post(
        f"/api/sample-sets/{set_id}/samples", json={**PAIR, "original_name1": R1_NAME}
    )
    assert made.status_code == 404, made.text
    assert outsider.get(f"/api/samples/{sample['id']}").status_code == 404
    assert outsider.get(f"/api/samples/{sample['id']}/files/1").status_code == 404
    assert len(admin_api.get(f"/api/sample-sets/{set_id}/samples").json()) == 1


def test_a_refused_r1_is_named_by_its_own_name(admin_api: Api, lab: Lab) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    sample = new_pair(admin_api, set_id, original_name1=R1_NAME)
    bad = (DATA / "bad_line_11.fastq").read_bytes()
    response = put(admin_api, sample["id"], 1, bad, 0, len(bad))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith(f"{R1_NAME}:"), response.text
    shown = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert shown["status"] == "invalid" and R1_NAME in shown["status_message"]
