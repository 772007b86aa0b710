"""Uploads: streamed to disk, resumable, hashed, checked (FASTQ/FASTA, gzip, pairs), disk guard."""

from __future__ import annotations

import gzip
import hashlib
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from litestar import Litestar

from tests.app_process import start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_sample, new_set, upload
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.services import disk
from vidjil_local.settings import Settings

GOOD = (DATA / "good.fastq").read_bytes()


@pytest.fixture
def set_id(admin_api: Api, lab: Lab) -> int:
    return new_set(admin_api, lab.group("lab", ALL_RIGHTS))


def sequences_dir(app: Litestar) -> Path:
    folder: Path = app.state.context.settings.sequences_dir
    return folder


def stored_files(app: Litestar) -> list[str]:
    return sorted(path.name for path in sequences_dir(app).iterdir())


def put_range(api: Api, sample_id: int, data: bytes, start: int, total: int) -> Any:
    end = start + len(data) - 1
    headers = {"content-range": f"bytes {start}-{end}/{total}"}
    headers.update(api._headers())
    return api.client.put(f"/api/samples/{sample_id}/files/1", content=data, headers=headers)


def test_an_upload_is_stored_hashed_checked_and_ready(
    admin_api: Api, app: Litestar, set_id: int
) -> None:
    sample = new_sample(admin_api, set_id)
    status = upload(admin_api, sample["id"], GOOD)
    digest = hashlib.sha256(GOOD).hexdigest()
    assert status == {
        "sample_id": sample["id"],
        "number": 1,
        "received": len(GOOD),
        "complete": True,
        "size": len(GOOD),
        "sha256": digest,
        "sample_status": "ready",
    }
    stored = sequences_dir(app) / f"{sample['id']}_1.fastq"
    assert stored.read_bytes() == GOOD
    read = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert read["status"] == "ready" and read["sha256"] == digest and read["size"] == len(GOOD)
    again = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=GOOD)
    assert again.status_code == 409, "a received file is never overwritten"
    assert admin_api.put(f"/api/samples/{sample['id']}/files/2", content=GOOD).status_code == 404


def test_a_cut_upload_resumes_where_it_stopped(admin_api: Api, app: Litestar, set_id: int) -> None:
    sample = new_sample(admin_api, set_id)
    first = put_range(admin_api, sample["id"], GOOD[:1000], 0, len(GOOD))
    assert first.status_code == 200, first.text
    assert first.json()["complete"] is False and first.json()["received"] == 1000
    status = admin_api.get(f"/api/samples/{sample['id']}/files/1/status").json()
    assert status["received"] == 1000 and status["sample_status"] == "uploading"
    wrong = put_range(admin_api, sample["id"], GOOD[1500:], 1500, len(GOOD))
    assert wrong.status_code == 409 and wrong.json()["error"]["details"]["received"] == 1000
    rest = admin_api.put(
        f"/api/samples/{sample['id']}/files/1", params={"offset": 1000}, content=GOOD[1000:]
    )
    assert rest.status_code == 200, rest.text
    assert rest.json()["complete"] is True, "without a total, the end of the body ends the file"
    assert rest.json()["sha256"] == hashlib.sha256(GOOD).hexdigest()
    assert (sequences_dir(app) / f"{sample['id']}_1.fastq").read_bytes() == GOOD


def test_a_file_in_three_ranges(admin_api: Api, app: Litestar, set_id: int) -> None:
    sample = new_sample(admin_api, set_id)
    put_range(admin_api, sample["id"], GOOD[:1000], 0, len(GOOD))
    put_range(admin_api, sample["id"], GOOD[1000:1800], 1000, len(GOOD))
    last = put_range(admin_api, sample["id"], GOOD[1800:], 1800, len(GOOD))
    assert last.status_code == 200, last.text
    assert last.json()["sha256"] == hashlib.sha256(GOOD).hexdigest()
    assert (sequences_dir(app) / f"{sample['id']}_1.fastq").read_bytes() == GOOD


def test_a_bad_fastq_is_refused_with_its_line(admin_api: Api, app: Litestar, set_id: int) -> None:
    sample = new_sample(admin_api, set_id, original_name="bad_line_11.fastq")
    response = admin_api.put(
        f"/api/samples/{sample['id']}/files/1", content=(DATA / "bad_line_11.fastq").read_bytes()
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "input_format"
    assert error["message"].startswith("bad_line_11.fastq:11: Line expected to start with '+'")
    assert error["details"]["line"] == 11
    assert str(sequences_dir(app)) not in response.text, "server paths are not shown"
    assert stored_files(app) == []
    read = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert read["status"] == "invalid" and "Line expected" in read["status_message"]
    assert upload(admin_api, sample["id"], GOOD)["sample_status"] == "ready", "a retry works"


@pytest.mark.parametrize(
    ("content", "stored"),
    [
        (gzip.compress(GOOD), "_1.fastq.gz"),
        ((DATA / "good.fasta").read_bytes(), "_1.fasta"),
        (gzip.compress((DATA / "good.fasta").read_bytes()), "_1.fasta.gz"),
    ],
)
def test_gzip_and_fasta_are_named_after_their_content(
    admin_api: Api, app: Litestar, set_id: int, content: bytes, stored: str
) -> None:
    sample = new_sample(admin_api, set_id, original_name="reads.txt")
    assert upload(admin_api, sample["id"], content)["sample_status"] == "ready"
    assert stored_files(app) == [f"{sample['id']}{stored}"]
    assert admin_api.get(f"/api/samples/{sample['id']}/files/1").content == content


def test_paired_files_are_checked_as_mates(admin_api: Api, app: Litestar, set_id: int) -> None:
    r1, r2 = (DATA / "r1.fastq").read_bytes(), (DATA / "r2.fastq").read_bytes()
    sample = new_sample(
        admin_api, set_id, original_name="S1_R1.fastq", original_name2="S1_R2.fastq"
    )
    assert sample["paired"] is True
    assert upload(admin_api, sample["id"], r1)["sample_status"] == "uploading"
    bad = admin_api.put(
        f"/api/samples/{sample['id']}/files/2", content=(DATA / "r2_not_mates.fastq").read_bytes()
    )
    assert bad.status_code == 422, bad.text
    message = bad.json()["error"]["message"]
    assert message.startswith("S1_R2.fastq: read 4 is 'read5/2' here but 'read4/1' in R1")
    assert stored_files(app) == [f"{sample['id']}_1.fastq"], "R1 stays, the bad R2 goes"
    assert admin_api.get(f"/api/samples/{sample['id']}").json()["status"] == "invalid"
    done = upload(admin_api, sample["id"], r2, number=2)
    assert done["sample_status"] == "ready" and done["sha256"] == hashlib.sha256(r2).hexdigest()
    read = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert read["received"] and read["received2"] and read["size2"] == len(r2)


def test_a_refused_mate_stays_shown_when_the_other_file_arrives(
    admin_api: Api, app: Litestar, set_id: int
) -> None:
    r1, r2 = (DATA / "r1.fastq").read_bytes(), (DATA / "r2.fastq").read_bytes()
    sample = new_sample(admin_api, set_id, original_name="P_R1.fastq", original_name2="P_R2.fastq")
    bad = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=b"not reads at all\n")
    assert bad.status_code == 422, bad.text
    refusal = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert refusal["status"] == "invalid" and refusal["status_message"]
    assert upload(admin_api, sample["id"], r2, number=2)["sample_status"] == "invalid"
    after = admin_api.get(f"/api/samples/{sample['id']}").json()
    assert after["status"] == "invalid", "R2's arrival hid that R1 was refused"
    assert after["status_message"] == refusal["status_message"] and after["received2"]
    assert upload(admin_api, sample["id"], r1)["sample_status"] == "ready"
    assert admin_api.get(f"/api/samples/{sample['id']}").json()["status_message"] == ""


def test_uneven_pairs_are_refused(admin_api: Api, app: Litestar, set_id: int) -> None:
    sample = new_sample(admin_api, set_id, original_name="A_R1.fq", original_name2="A_R2.fq")
    upload(admin_api, sample["id"], GOOD, number=2)
    short = admin_api.put(
        f"/api/samples/{sample['id']}/files/1", content=(DATA / "r1.fastq").read_bytes()
    )
    assert short.status_code == 422 and "same number of reads" in short.text
    assert "A_R2.fq" in short.json()["error"]["message"] or "A_R1.fq" in short.text
    assert stored_files(app) == [f"{sample['id']}_2.fastq"]


def test_a_nearly_full_disk_refuses_uploads(
    admin_api: Api, app: Litestar, set_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = new_sample(admin_api, set_id)
    total = 1000 * 1024**3
    monkeypatch.setattr(
        disk, "disk_usage", lambda path: (total, total - total // 200, total // 200)
    )
    refused = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=GOOD)
    assert refused.status_code == 507, refused.text
    assert refused.json()["error"]["code"] == "disk_full"
    assert "0.5% free, 1% must stay free" in refused.json()["error"]["message"]
    assert stored_files(app) == []
    roomy = total // 100 + len(GOOD) + 1
    monkeypatch.setattr(disk, "disk_usage", lambda path: (total, total - roomy, roomy))
    assert upload(admin_api, sample["id"], GOOD)["sample_status"] == "ready"


def test_content_range_must_make_sense(admin_api: Api, set_id: int) -> None:
    sample = new_sample(admin_api, set_id)
    for header in ("bytes 10-5/100", "bytes 0-100/100", "items 0-1/2", "bytes=0-1/2"):
        headers = {"content-range": header, **admin_api._headers()}
        response = admin_api.client.put(
            f"/api/samples/{sample['id']}/files/1", content=b"@", headers=headers
        )
        assert response.status_code == 400, header


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    """The app behind a real uvicorn on a free loopback port (a second app on the same data
    dir, without job workers)."""
    config = uvicorn.Config(
        create_app(settings, start_jobs=False), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def started() -> bool:
        assert thread.is_alive(), "uvicorn stopped while starting"
        return bool(server.started)

    wait_until(started, timeout=20, interval=0.02, what="uvicorn did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(20)


@contextmanager
def half_sent_put(
    url: str, cookies: httpx.Cookies, path: str, data: bytes, sent: int
) -> Iterator[None]:
    """A PUT announcing all of `data` that sends `sent` bytes of body, then (on exit) closes
    its connection without sending the rest."""
    host, port = url.removeprefix("http://").split(":")
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(data)}\r\n"
        f"Cookie: {cookie}\r\nx-csrftoken: {cookies['csrftoken']}\r\n\r\n"
    )
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(head.encode() + data[:sent])
        yield


def test_a_dropped_connection_keeps_what_arrived(served: str) -> None:
    with httpx.Client(base_url=served) as client:
        csrf = log_in_over_http(client)
        made = client.post("/api/sample-sets", json={"kind": "run", "name": "R"}, headers=csrf)
        set_id = made.json()["id"]
        sample = client.post(
            f"/api/sample-sets/{set_id}/samples", json={"original_name": "x.fq"}, headers=csrf
        ).json()
        path = f"/api/samples/{sample['id']}/files/1"

        def received() -> int:
            count: int = client.get(path + "/status").json()["received"]
            return count

        def resume() -> httpx.Response:
            return client.put(path, params={"offset": 1000}, content=GOOD[1000:], headers=csrf)

        with half_sent_put(served, client.cookies, path, GOOD, 1000):
            wait_until(
                lambda: received() == 1000, timeout=10, interval=0.05,
                what="the bytes sent are written as they arrive",
            )  # fmt: skip
            busy = resume()
            assert busy.status_code == 409 and "already being received" in busy.text
        wait_until(
            lambda: resume().status_code != 409,
            timeout=10,
            interval=0.05,
            what="the cut is noticed",
        )
        assert received() == len(GOOD)
        status = client.get(path + "/status").json()
        assert status["complete"] and status["sha256"] == hashlib.sha256(GOOD).hexdigest()


def log_in_over_http(client: httpx.Client) -> dict[str, str]:
    client.get("/api/auth/status")
    csrf = {"x-csrftoken": client.cookies["csrftoken"]}
    assert client.post("/api/auth/setup", json=ADMIN, headers=csrf).status_code == 201
    return {"x-csrftoken": client.cookies["csrftoken"]}


@pytest.mark.slow
def test_kill_9_mid_upload_then_restart_resumes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = start_app(data_dir, "serve", "--port", "0")
    try:
        url = wait_for_url(data_dir, server)
        with httpx.Client(base_url=url) as client:
            csrf = log_in_over_http(client)
            run = client.post("/api/sample-sets", json={"kind": "run", "name": "R"}, headers=csrf)
            body = {"original_name": "x.fq"}
            sample = client.post(
                f"/api/sample-sets/{run.json()['id']}/samples", json=body, headers=csrf
            ).json()
            path = f"/api/samples/{sample['id']}/files/1"
            with half_sent_put(url, client.cookies, path, GOOD, 1500):
                wait_until(
                    lambda: client.get(path + "/status").json()["received"] == 1500,
                    timeout=10,
                    interval=0.05,
                    what="the bytes sent are on disk",
                )
                server.send_signal(signal.SIGKILL)
                server.wait(timeout=20)
            cookies = client.cookies
    finally:
        stop(server)
    server = start_app(data_dir, "serve", "--port", "0")
    try:
        url = wait_for_url(data_dir, server)
        with httpx.Client(base_url=url, cookies=cookies) as client:
            assert client.get(path + "/status").json()["received"] == 1500
            resumed = client.put(path, params={"offset": 1500}, content=GOOD[1500:], headers=csrf)
            assert resumed.status_code == 200, resumed.text
            assert resumed.json()["sha256"] == hashlib.sha256(GOOD).hexdigest()
    finally:
        stop(server)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no reads"),
        (bytes(range(256)) * 64, ""),
        (gzip.compress(GOOD)[:-20], ""),
    ],
)
def test_empty_binary_and_truncated_files_are_refused(
    admin_api: Api, app: Litestar, set_id: int, content: bytes, reason: str
) -> None:
    sample = new_sample(admin_api, set_id, original_name="x.fastq.gz")
    response = admin_api.put(f"/api/samples/{sample['id']}/files/1", content=content)
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert message.startswith("x.fastq.gz") and reason in message
    assert stored_files(app) == []


def test_a_checksum_given_by_the_client_is_compared(
    admin_api: Api, app: Litestar, set_id: int
) -> None:
    sample = new_sample(admin_api, set_id)
    url = f"/api/samples/{sample['id']}/files/1"
    wrong = admin_api.put(url, params={"sha256": "0" * 64}, content=GOOD)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "checksum_mismatch"
    assert stored_files(app) == []
    right = admin_api.put(
        url, params={"sha256": hashlib.sha256(GOOD).hexdigest().upper()}, content=GOOD
    )
    assert right.status_code == 200 and right.json()["sample_status"] == "ready"


@pytest.mark.parametrize("total", [9_999_999_999_999, 2 * 1024**4])
def test_a_bogus_upload_total_is_too_large_not_a_full_disk(
    admin_api: Api, app: Litestar, set_id: int, total: int
) -> None:
    """A Content-Range announcing more than any file (or than the whole disk) is the client's
    mistake, 413: a 507 'disk nearly full' would send the lab to free space for nothing."""
    sample = new_sample(admin_api, set_id)
    headers = {"content-range": f"bytes 0-0/{total}", **admin_api._headers()}
    response = admin_api.client.put(
        f"/api/samples/{sample['id']}/files/1", content=b"@", headers=headers
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_large"
    assert "check the size the upload announces" in response.json()["error"]["message"]
    assert stored_files(app) == []
