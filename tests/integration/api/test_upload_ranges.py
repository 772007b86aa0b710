"""A file sent in many ranges, as the browser client sends it (8 MB each): each range is hashed
once, not the whole part again at each request (a 1 GB file in 8 MB ranges hashed 64 GB)."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_sample, new_set
from vidjil_local.services.samples import part_writer

CONTENT = (DATA / "good.fastq").read_bytes() * 20


def put_range(api: Api, sample_id: int, start: int, end: int) -> dict[str, Any]:
    headers = {"content-range": f"bytes {start}-{end - 1}/{len(CONTENT)}", **api._headers()}
    answer = api.client.put(
        f"/api/samples/{sample_id}/files/1", content=CONTENT[start:end], headers=headers
    )
    assert answer.status_code == 200, answer.text
    status: dict[str, Any] = answer.json()
    return status


@pytest.fixture
def rehashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the parts hashed again from their first byte."""
    sizes: list[int] = []
    rehash = part_writer._hash_existing

    def spied(hasher: Any, part: Path) -> None:
        sizes.append(part.stat().st_size)
        rehash(hasher, part)

    monkeypatch.setattr(part_writer, "_hash_existing", spied)
    return sizes


def test_ranges_are_hashed_once_and_the_digest_is_the_file_s(
    admin_api: Api, lab: Lab, rehashed: list[int]
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]
    cuts = [0, 9000, 20000, 33333, len(CONTENT)]
    for start, end in itertools.pairwise(cuts):
        status = put_range(admin_api, sample_id, start, end)
    assert status["complete"] and status["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert rehashed == [], "each request went on from the hash of the one before"


def test_a_range_after_a_restart_hashes_the_part_again(
    admin_api: Api, lab: Lab, settings: Any, rehashed: list[int]
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]
    put_range(admin_api, sample_id, 0, 10000)
    part_writer.forget(settings.sequences_dir / f"{sample_id}_1.part")  # as a new process
    status = put_range(admin_api, sample_id, 10000, len(CONTENT))
    assert status["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert rehashed == [10000]
