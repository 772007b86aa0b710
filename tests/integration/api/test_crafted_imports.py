"""The malformed and crafted-import corpus through the API: every bad file uploaded answers a 4xx
naming the file and the field (or line), the sample becomes `invalid` (never stuck `uploading`),
nothing of it is kept, and the lab's other data is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crafted_imports import (
    AIRR_CASES,
    AIRR_NOT_UTF8,
    VIDJIL_CASES,
    crafted_airr,
    crafted_vidjil,
    deep_vidjil,
)
from tests.integration.api.conftest import Api
from vidjil_local.services.samples import uploads

MALFORMED = Path(__file__).parents[2] / "data" / "malformed"
GOOD_FASTQ = Path(__file__).parents[2] / "data" / "uploads" / "good.fastq"
BAD_READS = [
    path.name
    for path in sorted(MALFORMED.iterdir())
    if path.suffix in {".fq", ".fastq", ".fasta", ".gz"} and "valid" not in path.name
    and not path.name.startswith("pair-") and path.name not in {"not-really-gzip.fastq.gz",
    "gzip-without-suffix.fastq", "huge-read.fasta.gz", "header-only.fasta", "latin1-header.fastq"}
]  # fmt: skip


@pytest.fixture
def set_id(admin_api: Api) -> int:
    return int(admin_api.post("/api/sample-sets", json={"kind": "run", "name": "R"}).json()["id"])


def upload_refused(api: Api, set_id: int, name: str, content: bytes) -> str:
    """Upload `content` as a new sample's file; check it is refused cleanly; return the
    message."""
    sample = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": name}).json()
    response = api.put(f"/api/samples/{sample['id']}/files/1", content=content)
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
    message: str = response.json()["error"]["message"]
    assert name in message, message
    after = api.get(f"/api/samples/{sample['id']}").json()
    assert after["status"] == "invalid", after
    assert after["status_message"] == message
    assert not after["received"]
    status = api.get(f"/api/samples/{sample['id']}/files/1/status").json()
    assert status["received"] == 0 and not status["complete"]
    return message


@pytest.mark.parametrize("case", list(VIDJIL_CASES))
def test_a_crafted_vidjil_upload_is_refused_naming_the_field(
    admin_api: Api, set_id: int, case: str
) -> None:
    message = upload_refused(admin_api, set_id, f"{case}.vidjil", crafted_vidjil(case))
    assert VIDJIL_CASES[case][1] in message


def test_a_vidjil_upload_nested_100k_deep_is_refused(admin_api: Api, set_id: int) -> None:
    assert "deep" in upload_refused(admin_api, set_id, "deep.vidjil", deep_vidjil())


@pytest.mark.parametrize("case", list(AIRR_CASES))
def test_a_crafted_airr_upload_is_refused_naming_the_field(
    admin_api: Api, set_id: int, case: str
) -> None:
    message = upload_refused(admin_api, set_id, f"{case}.tsv", crafted_airr(case))
    assert AIRR_CASES[case][1] in message


def test_an_airr_upload_that_is_not_utf8_is_refused(admin_api: Api, set_id: int) -> None:
    assert "UTF-8" in upload_refused(admin_api, set_id, "latin.tsv", AIRR_NOT_UTF8)


@pytest.mark.parametrize("name", BAD_READS)
def test_a_malformed_reads_upload_is_refused(admin_api: Api, set_id: int, name: str) -> None:
    upload_refused(admin_api, set_id, name, (MALFORMED / name).read_bytes())


def test_refused_uploads_leave_the_rest_of_the_set_as_it_was(admin_api: Api, set_id: int) -> None:
    good = admin_api.post(
        f"/api/sample-sets/{set_id}/samples", json={"original_name": "good.fastq"}
    ).json()
    stored = admin_api.put(f"/api/samples/{good['id']}/files/1", content=GOOD_FASTQ.read_bytes())
    assert stored.status_code == 200
    upload_refused(admin_api, set_id, "nan.vidjil", crafted_vidjil("reads-total-nan"))
    upload_refused(admin_api, set_id, "inf.tsv", crafted_airr("airr-count-1e400"))
    kept = admin_api.get(f"/api/samples/{good['id']}").json()
    assert kept["status"] == "ready" and kept["sha256"] == stored.json()["sha256"]
    downloaded = admin_api.get(f"/api/samples/{good['id']}/files/1")
    assert downloaded.content == GOOD_FASTQ.read_bytes()


def test_a_checker_that_crashes_leaves_the_sample_invalid_not_uploading(
    admin_api: Api, set_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a reader ever raise something else than its format error, the sample still ends
    `invalid` (send the file again), never `uploading` for ever."""

    def broken_check(path: Path, records: int | None) -> None:
        raise RuntimeError("a bug in a reader")

    monkeypatch.setattr(uploads, "check_reads_file", broken_check)
    sample = admin_api.post(
        f"/api/sample-sets/{set_id}/samples", json={"original_name": "good.fastq"}
    ).json()
    response = admin_api.put(
        f"/api/samples/{sample['id']}/files/1", content=GOOD_FASTQ.read_bytes()
    )
    assert response.status_code == 500
    assert "server log" in response.json()["error"]["message"]
    after = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert after["status"] == "invalid" and not after["received"]
    monkeypatch.undo()
    again = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=GOOD_FASTQ.read_bytes())
    assert again.status_code == 200 and again.json()["sample_status"] == "ready"
