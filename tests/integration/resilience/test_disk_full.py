"""A full data disk (issue 15), on a real filesystem made by the test and a real `serve`: every
request that needs room gets the `disk_full` error in plain words (507, never a 500 or a
hang), an upload cut by the full disk keeps what arrived and resumes once room is made, an
analysis that cannot write its results fails with the same words (not retried at once), the
database passes `integrity_check`, and nothing stored before is lost or changed."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.resilience.invariants import check_database, opened
from tests.integration.resilience.lab_server import LabClient, LabServer
from tests.integration.resilience.small_disk import fill, small_disk
from tests.waiting import wait_until

LAB_DATA = Path(__file__).parents[2] / "data" / "lab"
DIAGNOSIS = gzip.decompress((LAB_DATA / "diagnosis.fastq.gz").read_bytes())
FOLLOW_UP = gzip.decompress((LAB_DATA / "follow-up.fastq.gz").read_bytes())
DISK_MEGABYTES = 48
CHUNK = 64 * 1024


def assert_disk_full(answer: httpx.Response) -> None:
    assert answer.status_code == 507, f"{answer.request.url}: {answer.status_code} {answer.text}"
    error = answer.json()["error"]
    assert error["code"] == "disk_full" and "data disk" in error["message"], error


class Lab:
    """The lab's work through the API, and what it had stored before the disk filled."""

    def __init__(self, client: LabClient) -> None:
        self.client = client
        body = {"kind": "patient", "id_label": "P-1", "first_name": "Ada", "last_name": "L"}
        self.set_id = client.ok(client.post("/api/sample-sets", json=body))["id"]
        configs = client.ok(client.get("/api/configs"))
        self.config_id = next(config["id"] for config in configs if config["name"] == "IGH")

    def new_sample(self, name: str) -> int:
        body = {"original_name": name}
        url = f"/api/sample-sets/{self.set_id}/samples"
        sample_id: int = self.client.ok(self.client.post(url, json=body))["id"]
        return sample_id

    def upload(
        self, sample_id: int, content: bytes, start: int = 0, *, chunked: bool = False
    ) -> httpx.Response:
        """PUT the file from `start`; `chunked`: without announcing its size (as a stream)."""
        body: bytes | Iterator[bytes] = content[start:]
        if chunked:
            body = (content[at : at + CHUNK] for at in range(start, len(content), CHUNK))
        path = f"/api/samples/{sample_id}/files/1"
        return self.client.put(path, params={"offset": start}, content=body)

    def received(self, sample_id: int) -> int:
        status = self.client.ok(self.client.get(f"/api/samples/{sample_id}/files/1/status"))
        assert not status["complete"], status
        count: int = status["received"]
        return count

    def launch(self, sample_id: int) -> httpx.Response:
        body = {"config_id": self.config_id, "sample_ids": [sample_id]}
        return self.client.post(f"/api/sample-sets/{self.set_id}/analyses", json=body)

    def finished_jobs(self) -> list[dict[str, Any]]:
        def finished() -> list[dict[str, Any]] | None:
            jobs: list[dict[str, Any]] = self.client.ok(
                self.client.get(f"/api/sample-sets/{self.set_id}/jobs")
            )
            ended = ("completed", "failed", "cancelled")
            return jobs if all(job["status"] in ended for job in jobs) else None

        return wait_until(finished, timeout=180, interval=0.2, what="jobs still running")

    def save(self, number: int) -> httpx.Response:
        content = {
            "producer": "disk-full test",
            "clones": [],
            "tags": {"names": {"0": f"{number}"}},
        }
        return self.client.post(f"/api/sample-sets/{self.set_id}/analysis", json=content)


def stored_state(data_dir: Path) -> dict[str, str]:
    """Every stored file's SHA-256 and every row of the tables that hold results, by name."""
    state = {
        str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("sequences", "results")
        for path in sorted((data_dir / folder).rglob("*"))
        if path.is_file()
    }
    with opened(data_dir) as connection:
        for table in ("samples", "results", "fused_results", "analyses"):
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                state[f"{table}/{row[0]}"] = repr(tuple(row))
    return state


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_full_disk_gives_a_clear_error_corrupts_nothing_and_loses_nothing(
    tmp_path: Path,
) -> None:
    with small_disk(tmp_path / "disk", DISK_MEGABYTES) as disk:
        data_dir = disk / "data"
        # the uploads' own guard (1% free) is off: the writes must meet the real ENOSPC
        server = LabServer(data_dir, env={"VIDJIL_MIN_FREE_DISK_PERCENT": "0"})
        server.log = tmp_path / "server-output.log"  # not on the full disk
        try:
            check_a_full_disk(server, data_dir, disk / "filler")
        finally:
            server.stop()


def check_a_full_disk(server: LabServer, data_dir: Path, filler: Path) -> None:
    client = LabClient(server.start())
    client.setup_or_login()
    lab = Lab(client)
    stored_sample = lab.new_sample("diagnosis.fastq")
    client.ok(lab.upload(stored_sample, DIAGNOSIS))
    client.ok(lab.launch(stored_sample))
    assert {job["status"] for job in lab.finished_jobs()} == {"completed"}
    client.ok(lab.save(1))
    before = stored_state(data_dir)

    # room for a part of an upload only: it stops at the full disk and keeps what arrived
    cut_sample = lab.new_sample("follow-up.fastq")
    fill(filler, leave=len(FOLLOW_UP) // 3)
    too_big = lab.upload(cut_sample, FOLLOW_UP)  # its size is announced: refused before a byte
    assert_disk_full(too_big)
    assert "not enough for the 1.4 MB announced" in too_big.json()["error"]["message"]
    assert_disk_full(lab.upload(cut_sample, FOLLOW_UP, chunked=True))
    kept = lab.received(cut_sample)
    assert 0 < kept < len(FOLLOW_UP)
    during = stored_state(data_dir)

    # no room at all: every request that writes says so, the others go on working
    fill(filler)
    assert_disk_full(lab.upload(cut_sample, FOLLOW_UP, kept))
    assert_disk_full(lab.save(2))
    assert_disk_full(client.post("/api/sample-sets", json={"kind": "generic", "name": "g"}))
    assert_disk_full(lab.launch(stored_sample))
    assert client.get("/api/health").status_code == 200
    clones = client.get(
        f"/api/sample-sets/{lab.set_id}/clones", params={"config_id": lab.config_id}
    )
    assert clones.status_code in (200, 507), clones.text  # 507 when its audit row finds no room
    check_database(data_dir)
    assert stored_state(data_dir) == during, "a full disk changed what was stored"

    # room again: the upload resumes from what was kept, the lab works as before
    filler.unlink()
    assert lab.received(cut_sample) == kept
    resumed = client.ok(lab.upload(cut_sample, FOLLOW_UP, kept))
    assert resumed["sha256"] == hashlib.sha256(FOLLOW_UP).hexdigest()
    client.ok(lab.launch(cut_sample))
    assert {job["status"] for job in lab.finished_jobs()} == {"completed"}
    client.ok(lab.save(3))
    check_database(data_dir)
    after = stored_state(data_dir)
    kept_for_good = {name for name in before if "fused" not in name}  # a new fuse replaces it
    assert {name: after.get(name) for name in kept_for_good} == {
        name: before[name] for name in kept_for_good
    }, "something stored changed"
