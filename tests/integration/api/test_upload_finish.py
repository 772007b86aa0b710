"""The finish of an upload (check, rename, record, once the last byte is in) failing on the
server's side keeps every byte for the client to ask for the finish alone (an empty body at
`?offset=<size>`), which answers the same however often it is asked."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

import pytest
from litestar import Litestar

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_sample, new_set
from tests.integration.api.test_uploads import put_range, sequences_dir
from vidjil_local.services import audit
from vidjil_local.services.samples import uploads

GOOD = (DATA / "good.fastq").read_bytes()


def finish(api: Api, sample_id: int, size: int) -> Any:
    return api.put(f"/api/samples/{sample_id}/files/1", params={"offset": size}, content=b"")


def test_a_finish_failing_after_the_rename_is_asked_again_and_completes_once(
    admin_api: Api, app: Litestar, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_id = new_sample(admin_api, new_set(admin_api, lab.group("lab", ALL_RIGHTS)))["id"]
    record = uploads._record
    failures = [sqlite3.OperationalError("disk I/O error")]

    def fails_once(*args: Any) -> None:
        if failures:
            raise failures.pop()
        record(*args)

    monkeypatch.setattr(uploads, "_record", fails_once)
    failed = put_range(admin_api, sample_id, GOOD, 0, len(GOOD))
    assert failed.status_code >= 500, failed.text
    status = admin_api.get(f"/api/samples/{sample_id}/files/1/status").json()
    assert (status["received"], status["complete"], status["sample_status"]) == (
        len(GOOD), False, "uploading",
    )  # fmt: skip
    assert [p.name for p in sequences_dir(app).iterdir()] == [f"{sample_id}_1.part"]

    done = finish(admin_api, sample_id, len(GOOD))
    assert done.status_code == 200, done.text
    assert done.json()["complete"] and done.json()["sample_status"] == "ready"
    assert done.json()["sha256"] == hashlib.sha256(GOOD).hexdigest()
    assert (sequences_dir(app) / f"{sample_id}_1.fastq").read_bytes() == GOOD
    again = finish(admin_api, sample_id, len(GOOD))  # its answer lost, the finish asked again
    assert again.status_code == 200, again.text
    assert again.json() == done.json()
    resent = put_range(admin_api, sample_id, GOOD, 0, len(GOOD))
    assert resent.status_code == 409, "a received file is still never overwritten"
    entries = audit.entries(lab.database, "samples", sample_id)
    assert [e["action"] for e in entries].count("upload_completed") == 1
