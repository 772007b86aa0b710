"""The kill -9 campaign: rounds of real work on a real server (uploads, analyses and their fuses,
`.analysis` saves), each cut by SIGKILL at a moment drawn from a seeded generator, then a restart
on the same data folder, the interrupted work finished the way the browser client does it
(uploads resumed from the bytes kept, jobs left to the server) and every invariant checked.

Kill moments are drawn within the measured duration of the operation on this machine (a first
round of each runs unkilled to measure it), so the cuts land inside the work whatever the speed
of the machine; the seed reproduces the same choices.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.integration.resilience.invariants import (
    Ledger,
    Upload,
    check_database,
    check_everything,
    opened,
    unfinished_jobs,
)
from tests.integration.resilience.lab_server import LabClient, LabServer
from tests.waiting import wait_until

KINDS = ("upload", "analysis", "fuse", "save")
UPLOAD_CHUNK = 64 * 1024
UPLOAD_PAUSE = 0.02  # seconds between chunks: an upload lasts long enough to be cut inside
SAVE_PAUSE = 0.02
SETTLE_SECONDS = 180


@dataclass
class Timing:
    """Durations measured on this machine by unkilled rounds: kill moments are drawn within."""

    upload: float = 1.0
    analysis: float = 5.0  # launch -> analysis job completed
    fuse: float = 2.0  # analysis job completed -> no job left


@dataclass
class Kill:
    round: int
    kind: str
    after: float  # seconds after the operation started
    whole_group: bool


@dataclass
class Campaign:
    data_dir: Path
    seed: int
    contents: list[bytes]  # reads files to upload, used in turn
    rng: random.Random = field(init=False)
    server: LabServer = field(init=False)
    client: LabClient = field(init=False)
    ledger: Ledger = field(default_factory=Ledger)
    timing: Timing = field(default_factory=Timing)
    kills: list[Kill] = field(default_factory=list)
    config_id: int = 0
    errors: list[BaseException] = field(default_factory=list)  # raised in background threads
    _saves: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.server = LabServer(self.data_dir)

    # -- the lab, and the durations of its operations here ---------------------------------------
    def prepare(self) -> None:
        self.client = LabClient(self.server.start())
        self.client.setup_or_login()
        for body in (
            {"kind": "patient", "id_label": "P-1", "first_name": "Ada", "last_name": "L"},
            {"kind": "generic", "name": "cohort"},
        ):
            self.ledger.set_ids.append(
                self.client.ok(self.client.post("/api/sample-sets", json=body))["id"]
            )
        configs = self.client.ok(self.client.get("/api/configs"))
        self.config_id = next(config["id"] for config in configs if config["name"] == "IGH")
        started = time.monotonic()
        upload = self._new_upload()
        self._send_upload(self.client, upload)
        self.timing.upload = time.monotonic() - started
        self._check_upload_answer(upload, self.client.get(self._upload_path(upload) + "/status"))
        started = time.monotonic()
        jobs = self._launch(self.client)
        wait_until(lambda: self._jobs_completed(jobs), timeout=SETTLE_SECONDS, what="analysis")
        analysed = time.monotonic()
        self._wait_settled()
        self.timing.analysis, self.timing.fuse = analysed - started, time.monotonic() - analysed
        check_everything(self.data_dir, self.ledger)

    # -- one round: work, a kill at a drawn moment, restart, finish, check ------------------------
    def run_round(self, number: int, kind: str) -> Kill:
        whole_group = self.rng.random() < 0.75  # else the job children must exit by themselves
        stop = threading.Event()
        threads = [self._background(self._keep_saving, stop, 0.1)]
        started, after = self._start_operation(kind, stop, threads)
        delay = started + after - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.server.kill(whole_group=whole_group)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not self.errors, self.errors
        kill = Kill(number, kind, after, whole_group)
        self.kills.append(kill)
        check_database(self.data_dir)
        self.restart_and_finish()
        return kill

    def _start_operation(
        self, kind: str, stop: threading.Event, threads: list[threading.Thread]
    ) -> tuple[float, float]:
        """Start `kind`; (when it started, seconds after which to kill)."""
        started = time.monotonic()
        if kind == "upload":
            upload = self._new_upload()
            started = time.monotonic()
            threads.append(self._background(self._try_upload, upload))
            return started, self.rng.uniform(0, self.timing.upload * 1.2)
        if kind == "save":
            threads.append(self._background(self._keep_saving, stop, SAVE_PAUSE))
            return started, self.rng.uniform(0.05, 1.0)
        jobs = self._launch(self.client)
        if kind == "analysis":
            return started, self.rng.uniform(0, self.timing.analysis * 1.1)
        wait_until(lambda: self._jobs_completed(jobs), timeout=SETTLE_SECONDS, what="analysis")
        return time.monotonic(), self.rng.uniform(0, self.timing.fuse)

    @staticmethod
    def _background(target: Callable[..., None], *args: Any) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread

    def restart_and_finish(self) -> None:
        self.client.close()
        self.client = LabClient(self.server.start())
        self.client.setup_or_login()
        for upload in self.ledger.uploads.values():
            if not upload.complete:
                self._resume_upload(upload)
        self._wait_settled()
        check_everything(self.data_dir, self.ledger)

    def _wait_settled(self) -> None:
        wait_until(
            lambda: not unfinished_jobs(self.data_dir),
            timeout=SETTLE_SECONDS,
            interval=0.2,
            what=lambda: f"jobs left unfinished: {unfinished_jobs(self.data_dir)}",
        )

    # -- uploads, as the browser client sends them -------------------------------------------
    def _new_upload(self) -> Upload:
        content = self.contents[len(self.ledger.uploads) % len(self.contents)]
        set_id = self.ledger.set_ids[0]
        body = {"original_name": f"sample-{len(self.ledger.uploads) + 1}.fastq"}
        sample = self.client.ok(self.client.post(f"/api/sample-sets/{set_id}/samples", json=body))
        if len(self.ledger.uploads) % 2:  # every other sample is in the cohort too: two fuses
            link = {"set_id": self.ledger.set_ids[1]}
            self.client.ok(self.client.post(f"/api/samples/{sample['id']}/sets", json=link))
        upload = Upload(sample["id"], content, hashlib.sha256(content).hexdigest())
        self.ledger.uploads[upload.sample_id] = upload
        return upload

    @staticmethod
    def _upload_path(upload: Upload) -> str:
        return f"/api/samples/{upload.sample_id}/files/1"

    def _send_upload(self, client: LabClient, upload: Upload, start: int = 0) -> httpx.Response:
        size = len(upload.content)

        def paced() -> Iterator[bytes]:
            for offset in range(start, size, UPLOAD_CHUNK):
                yield upload.content[offset : offset + UPLOAD_CHUNK]
                time.sleep(UPLOAD_PAUSE)

        if start == size:  # every byte arrived, the check did not: ask for it
            answer = client.put(self._upload_path(upload), params={"offset": size}, content=b"")
        else:
            headers = {"content-range": f"bytes {start}-{size - 1}/{size}"}
            answer = client.put(self._upload_path(upload), content=paced(), headers=headers)
        self._check_upload_answer(upload, answer)
        return answer

    def _check_upload_answer(self, upload: Upload, answer: httpx.Response) -> None:
        status = self.client.ok(answer)
        assert status["complete"] and status["sha256"] == upload.sha256, status
        upload.complete = True

    def _try_upload(self, upload: Upload) -> None:
        """The upload the kill cuts: any transport error is expected, an answer must be right."""
        client = self._side_client()
        try:
            self._send_upload(client, upload)
        except httpx.TransportError:
            pass
        except BaseException as error:
            self.errors.append(error)
        finally:
            client.close()

    def _resume_upload(self, upload: Upload) -> None:
        status = self.client.ok(self.client.get(self._upload_path(upload) + "/status"))
        if status["complete"]:
            assert status["sha256"] == upload.sha256, status
            upload.complete = True
            return
        assert 0 <= status["received"] <= len(upload.content), status
        self._send_upload(self.client, upload, status["received"])

    # -- analyses and fuses -----------------------------------------------------------------
    def _launch(self, client: LabClient) -> list[int]:
        """Analyse the one or two newest samples again (each launch adds a result, re-fuses)."""
        ready = sorted(self.ledger.uploads)[-2:]
        chosen = self.rng.sample(ready, self.rng.randint(1, len(ready)))
        set_id = self.ledger.set_ids[0]
        body = {"config_id": self.config_id, "sample_ids": chosen}
        jobs = [
            job["id"]
            for job in client.ok(client.post(f"/api/sample-sets/{set_id}/analyses", json=body))
        ]
        self.ledger.analysis_jobs.update(jobs)
        return jobs

    def _jobs_completed(self, job_ids: list[int]) -> bool:
        marks = ",".join("?" * len(job_ids))
        with opened(self.data_dir) as connection:
            rows = connection.execute(f"SELECT status FROM jobs WHERE id IN ({marks})", job_ids)
            statuses = [row[0] for row in rows]
        assert "failed" not in statuses, statuses
        return statuses == ["completed"] * len(job_ids)

    # -- .analysis saves ----------------------------------------------------------------------
    def _keep_saving(self, stop: threading.Event, pause: float) -> None:
        client = self._side_client()
        set_id = self.ledger.set_ids[0]
        try:
            while not stop.is_set():
                content = _analysis_document(next(self._saves))
                text = json.dumps(content, sort_keys=True)
                self.ledger.sent_saves.add(text)
                answer = client.post(f"/api/sample-sets/{set_id}/analysis", json=content)
                assert answer.status_code == 201, answer.text
                self.ledger.saves[answer.json()["version"]] = text
                stop.wait(pause)
        except httpx.TransportError:
            pass
        except BaseException as error:
            self.errors.append(error)
        finally:
            client.close()

    def _side_client(self) -> LabClient:
        return LabClient(str(self.client.http.base_url), cookies=self.client.http.cookies)


def _analysis_document(number: int) -> dict[str, Any]:
    return {
        "producer": "kill campaign",
        "clones": [{"id": "ACGT" * 10, "name": f"clone named in save {number}", "tag": number % 8}],
        "tags": {"names": {str(number % 8): f"tag {number}"}},
        "samples": {"order": [0, 1], "number": 2},
    }


def kinds_for(rounds: int, rng: random.Random) -> list[str]:
    """`rounds` kinds, each as often as the others, in a seeded order."""
    chosen = [KINDS[index % len(KINDS)] for index in range(rounds)]
    rng.shuffle(chosen)
    return chosen


def describe(kills: list[Kill]) -> str:
    return "; ".join(
        f"{kill.round}:{kill.kind}@{kill.after:.2f}s{'' if kill.whole_group else ' (server only)'}"
        for kill in kills
    )
