"""A lab's `.vidjil` of three samples (a time course fused by Vidjil) on the network folder,
picked on a set page, becomes three samples as the same file uploaded does: named as the file
names them, each ready with its part of the file, the network file left where it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app_process import serving

from .conftest import REPOSITORY, ClientPage
from .test_lab_pages import ADMIN_EMAIL, ADMIN_PASSWORD, ensure_admin, log_in
from .test_vidjil_file_upload import new_set

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FUSED = REPOSITORY / "tests" / "data" / "vidjil" / "fused_multiple.vidjil"


@pytest.fixture(scope="module")
def network_server(
    tmp_path_factory: pytest.TempPathFactory, built_client: Path
) -> Iterator[tuple[str, Path]]:
    """The served app's URL and its network folder."""
    folder = tmp_path_factory.mktemp("network-vidjil")
    (folder / "network" / "run-7").mkdir(parents=True)
    (folder / "network" / "run-7" / "course.vidjil").write_bytes(FUSED.read_bytes())
    environment = {"VIDJIL_FILE_SOURCE": str(folder / "network")}  # file_types: the default
    with serving(folder / "data", folder / "serve.log", env=environment) as url:
        yield url, folder / "network"


def test_a_vidjil_file_of_three_samples_picked_in_the_network_folder_makes_three(
    client: ClientPage, network_server: tuple[str, Path]
) -> None:
    url, network = network_server
    ensure_admin(url)
    set_id = new_set(url, "time course on the NAS")
    page = client.page
    page.goto(url + f"#/set?id={set_id}")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("button", name="Pick from the network folder").click()
    page.get_by_role("button", name="📁 run-7").click()
    page.locator(".source-list").get_by_role("checkbox", name="course.vidjil").check()
    page.get_by_role("button", name="Add the ticked files").click()
    expect(page.get_by_role("status")).to_have_text("Added 3 sample(s) from the network folder.")

    samples = page.locator(".samples-table tbody tr")
    expect(samples).to_have_count(3)
    expect(samples.locator(".status-ready")).to_have_count(3)
    for position, row in enumerate(samples.all(), start=1):
        expect(row).to_contain_text(f"file_{position}.fastq")
        expect(row).to_contain_text(f"sample {position} of 3 in run-7/course.vidjil")
    assert (network / "run-7" / "course.vidjil").read_bytes() == FUSED.read_bytes()  # left as is
    assert not client.console_errors, client.console_errors
