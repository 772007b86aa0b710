"""An upload whose finish fails is finished by the resume: the server kept every byte of the last
chunk but did not check and record the file (as when its finish answers a 5xx), then the finish
the client asks for alone is cut once by the network. The sample must still end `ready`, with
the file's SHA-256, not stay `uploading`."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Route, expect

from .conftest import REPOSITORY, ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, lab_server, log_in
from .test_vidjil_file_upload import admin_http, new_set

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]  # a real `vidjil-local serve` on a fresh data folder, for this module

READS = REPOSITORY / "tests" / "data" / "uploads" / "good.fastq"
LAST_CHUNK = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


class FailingFinish:
    """The last chunk reaches the server without finishing the file (sent as if one more byte
    were to come: the bytes are kept, nothing checked), and the browser is told 503; then the
    first finish asked alone (`?offset=`, no Content-Range) is cut before reaching the server."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def __call__(self, route: Route) -> None:
        request = route.request
        content_range = request.headers.get("content-range")
        if request.method != "PUT":
            route.continue_()
        elif content_range is not None and "chunk" not in self.failed:
            self._keep_bytes_without_finishing(route, content_range)
        elif content_range is None and "finish" not in self.failed:
            self.failed.append("finish")
            route.abort("connectionreset")
        else:
            route.continue_()

    def _keep_bytes_without_finishing(self, route: Route, content_range: str) -> None:
        match = LAST_CHUNK.fullmatch(content_range)
        assert match is not None, content_range
        start, end, total = (int(group) for group in match.groups())
        if end != total - 1:
            route.continue_()
            return
        self.failed.append("chunk")
        headers = {**route.request.headers, "content-range": f"bytes {start}-{end}/{total + 1}"}
        kept = route.fetch(headers=headers)
        assert kept.status == 200 and kept.json()["complete"] is False, kept.text()
        error = {"error": {"code": "internal", "message": "the finish failed", "details": {}}}
        route.fulfill(status=503, json=error)


def test_an_upload_whose_finish_failed_is_finished_by_the_resume(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    set_id = new_set(lab_server, "finish lost")
    page = client.page
    failing = FailingFinish()
    page.route(re.compile(r"/api/samples/\d+/files/1(\?.*)?$"), failing)
    page.goto(lab_server + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.locator("input[type=file]").set_input_files(READS)

    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(1)
    expect(samples.locator(".status-ready")).to_have_count(1, timeout=30_000)
    expect(page.locator(".uploads li .upload-note")).to_contain_text("100%")
    assert failing.failed == ["chunk", "finish"], "both failures were met"
    with admin_http(lab_server) as http:
        [sample] = http.get(f"api/sample-sets/{set_id}/samples").json()
    assert sample["status"] == "ready"
    assert sample["sha256"] == hashlib.sha256(READS.read_bytes()).hexdigest()
    # the refused chunk and the cut finish are the only errors the console may show
    assert all(
        "503" in error or "ERR_CONNECTION_RESET" in error for error in client.console_errors
    ), client.console_errors
    client.console_errors.clear()
