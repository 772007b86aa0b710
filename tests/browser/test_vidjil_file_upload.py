"""A lab moving from Vidjil drops a `.vidjil` file of three samples (a time course fused by
Vidjil) on a set page: the upload row says what it became, the samples table lists the three
samples under their names in the file, and the import config imports each of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.waiting import wait_until

from .conftest import REPOSITORY, ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, lab_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]  # a real `vidjil-local serve` on a fresh data folder, for this module

FUSED = REPOSITORY / "tests" / "data" / "vidjil" / "fused_multiple.vidjil"
CURATED = REPOSITORY / "tests" / "data" / "vidjil" / "named_tagged_clustered.vidjil"


@contextmanager
def admin_http(base_url: str) -> Iterator[httpx.Client]:
    """An API client logged in as the admin."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        http.get("api/auth/status")
        headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
        credentials = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        http.post("api/auth/login", json=credentials, headers=headers).raise_for_status()
        http.headers["x-csrftoken"] = http.cookies.get("csrftoken") or ""
        yield http


def new_set(base_url: str, name: str) -> int:
    with admin_http(base_url) as http:
        created = http.post("api/sample-sets", json={"kind": "generic", "name": name})
        created.raise_for_status()
        return int(created.json()["id"])


def launch_import(page: Page) -> str:
    """Launch the import config on the set page's samples; its id."""
    importing = page.locator("select[name=config] option", has_text=re.compile("^import"))
    config = importing.first.get_attribute("value") or ""
    page.get_by_label("Analysis config").select_option(config)
    page.get_by_role("button", name="Launch analysis").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ analysis jobs? queued"))
    return config


def test_a_vidjil_file_of_three_samples_becomes_three_samples_then_imports(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    set_id = new_set(lab_server, "from Vidjil")
    page = client.page
    page.goto(lab_server + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Set from Vidjil")).to_be_visible()
    assert ".vidjil" in (page.locator("input[type=file]").get_attribute("accept") or "")
    page.locator("input[type=file]").set_input_files(FUSED)

    note = page.locator(".uploads li .upload-note")
    expect(note).to_contain_text("sample 1 of 3 in fused_multiple.vidjil", timeout=30_000)
    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(3)
    expect(samples.locator(".status-ready")).to_have_count(3)
    for position, row in enumerate(samples.all(), start=1):
        expect(row).to_contain_text(f"file_{position}.fastq")
        expect(row).to_contain_text(f"sample {position} of 3 in fused_multiple.vidjil")

    launch_import(page)
    completed = page.locator(".jobs-table tbody tr[data-status=completed]")
    analyses = completed.filter(has_text=re.compile(r"\d+ · analysis"))  # not the set's fuses
    expect(analyses).to_have_count(3, timeout=60_000)
    assert not client.console_errors, client.console_errors


def test_the_names_tags_and_cluster_a_vidjil_user_gave_show_in_the_sets_results(
    client: ClientPage, lab_server: str
) -> None:
    ensure_admin(lab_server)
    set_id = new_set(lab_server, "curated in Vidjil")
    page = client.page
    page.goto(lab_server + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.locator("input[type=file]").set_input_files(CURATED)
    expect(page.locator(".samples-table tbody tr .status-ready")).to_have_count(3, timeout=30_000)
    config = launch_import(page)

    def fused_all() -> bool:
        with admin_http(lab_server) as http:
            answer = http.get(f"api/sample-sets/{set_id}/results", params={"config_id": config})
            return answer.status_code == 200 and answer.json()["samples"]["number"] == 3

    wait_until(fused_all, timeout=60, interval=0.5, what="the fuse of the 3 imported samples")
    client.base_url = lab_server
    page.goto("about:blank")
    client.open(f"?set={set_id}&config={config}#/viewer")
    leukemic = page.locator(".clone-list tr", has_text="leukemic clone P07")
    expect(leukemic).to_have_count(1, timeout=30_000)
    expect(leukemic.locator(".clone-badge.tag")).to_have_text("dominant clone")
    expect(leukemic.get_by_role("button", name="Show the 2 clones of this cluster")).to_be_visible()
    spike = page.locator(".clone-list tr", has_text="IGH spike")
    expect(spike.locator(".clone-badge.tag")).to_have_text("standard / spike")
    assert not client.console_errors, client.console_errors
