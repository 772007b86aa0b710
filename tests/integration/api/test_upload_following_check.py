"""Big uploads are checked while they arrive, in another process (services/samples/
part_check.py): the same outcome as the check after arrival, file by file. The size from which
the check follows the upload is lowered here so small files take that path."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_sample, new_set
from vidjil_local.errors import InputFormatError
from vidjil_local.reads import ReadsFileInfo, check_reads_file
from vidjil_local.services.samples import part_check

GOOD = (DATA / "good.fastq").read_bytes()
BAD = (DATA / "bad_line_11.fastq").read_bytes()


@pytest.fixture(autouse=True)
def every_upload_followed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every upload's check follows it; yields the files whose outcome was taken from there."""
    monkeypatch.setattr(part_check, "FOLLOW_FROM", 0)
    taken: list[str] = []
    outcome = part_check.FollowingCheck.outcome

    def spied(check: part_check.FollowingCheck) -> ReadsFileInfo:
        taken.append("checked")
        return outcome(check)

    monkeypatch.setattr(part_check.FollowingCheck, "outcome", spied)
    yield taken


@pytest.mark.parametrize(
    ("content", "stored"),
    [(GOOD, "_1.fastq"), (gzip.compress(GOOD), "_1.fastq.gz")],
)
def test_a_followed_upload_is_stored_as_after_a_check_on_arrival(
    admin_api: Api,
    lab: Lab,
    app: Litestar,
    content: bytes,
    stored: str,
    every_upload_followed: list[str],
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]
    answer = admin_api.put(f"/api/samples/{sample_id}/files/1", content=content)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert answer.json()["sample_status"] == "ready"
    folder: Path = app.state.context.settings.sequences_dir
    assert (folder / f"{sample_id}{stored}").read_bytes() == content
    assert every_upload_followed == ["checked"]


def test_a_followed_upload_of_a_bad_file_is_refused_with_its_line(admin_api: Api, lab: Lab) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    sample_id = new_sample(admin_api, set_id, original_name="bad_line_11.fastq")["id"]
    answer = admin_api.put(f"/api/samples/{sample_id}/files/1", content=BAD)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["message"].startswith("bad_line_11.fastq:11: Line expected to start with '+'")
    assert error["details"]["line"] == 11


def write_slowly(path: Path, content: bytes) -> None:
    with path.open("ab", buffering=0) as output:
        for start in range(0, len(content), 4096):
            output.write(content[start : start + 4096])
            time.sleep(0.002)


def outcome_of_check(path: Path, grows_to: int | None = None) -> object:
    try:
        return check_reads_file(path, None, grows_to=grows_to)
    except InputFormatError as error:
        return (error.message, error.line)


@pytest.mark.parametrize("content", [GOOD * 50, GOOD * 20 + BAD], ids=["good", "bad"])
def test_a_growing_file_is_read_to_its_announced_size(tmp_path: Path, content: bytes) -> None:
    """The check waits at the end of a file still being written, and finds the same records
    and the same error as on the whole file."""
    path = tmp_path / "growing.fastq"
    path.write_bytes(b"")
    writer = threading.Thread(target=write_slowly, args=(path, content))
    writer.start()
    growing = outcome_of_check(path, grows_to=len(content))
    writer.join()
    assert growing == outcome_of_check(path)
