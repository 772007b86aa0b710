"""The administrator's "Quit vidjil-local" button stops the real app process: reached through the
desktop launcher's one-time login URL, confirmed, and the page then says the app has stopped."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, expect

from tests.app_process import PYTHON_APP, csrf_client, start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN

from .conftest import ClientPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_admin_quits_from_the_administration_tabs(
    client: ClientPage, built_client: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    server = start_app(
        data, "serve", "--port", "0", env={"VIDJIL_DESKTOP_LOGIN_EMAIL": ADMIN["email"]}
    )
    try:
        url = wait_for_url(data, server)
        assert csrf_client(url).post("/api/auth/setup", json=ADMIN).status_code == 201
        second_launch = subprocess.run(
            [*PYTHON_APP, "--data-dir", str(data), "--set", "open_browser=false"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        login_url = second_launch.stdout.strip().rsplit(" ", 1)[-1]
        page = client.page
        page.goto(login_url)
        page.get_by_role("link", name="Administration").click()
        dialogs: list[str] = []

        def accept(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        page.get_by_role("button", name="Quit vidjil-local").click()
        expect(page.get_by_role("heading", name="vidjil-local has stopped")).to_be_visible()
        assert "Running analyses stop and run again at the next start" in dialogs[0]
        server.wait(timeout=30)
        assert server.returncode == 0
    finally:
        stop(server)
