"""The log files of a real desktop launch: they record the app and every request, and nothing
secret (passwords, the one-time login URL's token, the e-mailed login code, session ids, CSRF
tokens, the session key, the secret settings) after a launch, a first login, a password change, a
two-factor login and a second launch. The app runs at log level debug, the most talkative."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.app_process import start_app, stop, wait_for_url
from tests.conftest import Inbox
from vidjil_local.settings import write_setting

pytestmark = pytest.mark.slow

EMAIL = "admin@lab.example"
FIRST_PASSWORD, NEW_PASSWORD = "correct horse battery", "staple 2 the horse!"
METRICS_PASSWORD = "m3trics-are-private"


class Browser:
    """An HTTP client that keeps cookies, sends the CSRF header, and remembers every cookie
    value it was given (each must stay out of the logs)."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url)
        self.seen: set[str] = set()

    def _note(self, response: httpx.Response) -> httpx.Response:
        self.seen.update(value for value in self.client.cookies.values() if value)
        return response

    def get(self, path: str) -> httpx.Response:
        return self._note(self.client.get(path))

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        headers = {"x-csrftoken": self.client.cookies.get("csrftoken") or ""}
        return self._note(self.client.post(path, headers=headers, **kwargs))  # type: ignore[arg-type]

    def put(self, path: str, **kwargs: object) -> httpx.Response:
        headers = {"x-csrftoken": self.client.cookies.get("csrftoken") or ""}
        return self._note(self.client.put(path, headers=headers, **kwargs))  # type: ignore[arg-type]


def launch_url(output: str) -> str:
    line = next(line for line in output.splitlines() if "/auth/launch?token=" in line)
    return line.rsplit(" ", 1)[-1]


def use_launch_url(browser: Browser, url: str) -> str:
    token = url.rsplit("=", 1)[-1]
    assert browser.client.get(url).status_code == 200
    answer = browser._note(browser.client.post("/auth/launch", data={"token": token}))
    assert answer.status_code == 303
    return token


def test_no_secret_reaches_the_logs(tmp_path: Path, inbox: tuple[Inbox, int]) -> None:
    messages, port = inbox
    data_dir = tmp_path / "data"
    for name, value in {
        "smtp_server": f"127.0.0.1:{port}", "smtp_from_email": "vidjil@lab.example",
        "smtp_tls": "false", "metrics_user_password": METRICS_PASSWORD, "log_level": "debug",
        "open_browser": "false",
    }.items():  # fmt: skip
        write_setting(data_dir, name, value, environ={})
    app = start_app(data_dir)
    secrets: set[str] = {FIRST_PASSWORD, NEW_PASSWORD, METRICS_PASSWORD}
    try:
        url = wait_for_url(data_dir, app)
        browser = Browser(url)
        browser.get("/api/auth/status")
        assert browser.post("/api/auth/setup", json={"email": EMAIL, "password": FIRST_PASSWORD})
        assert browser.post("/api/auth/logout").status_code == 204
        login = {"email": EMAIL, "password": FIRST_PASSWORD}
        assert browser.post("/api/auth/login", json=login).status_code == 200
        change = {"current_password": FIRST_PASSWORD, "new_password": NEW_PASSWORD}
        assert browser.post("/api/auth/password", json=change).status_code == 204
        on = browser.put("/api/admin/settings/two_factor_required", json={"value": True})
        assert on.status_code == 200, on.text
        assert browser.post("/api/auth/logout").status_code == 204
        login = {"email": EMAIL, "password": NEW_PASSWORD}
        assert browser.post("/api/auth/login", json=login).status_code == 401
        code = messages.code()
        assert browser.post("/api/auth/login/code", json={"code": code}).status_code == 200
        second = start_app(data_dir)  # the second launch prints a fresh one-time URL and ends
        assert second.wait(timeout=60) == 0
        second_output = second.stdout.read() if second.stdout else ""
        secrets |= {code, use_launch_url(Browser(url), launch_url(second_output))}
        secrets |= browser.seen
    finally:
        output = stop(app)
    secrets.add(use_token_of(output))
    secrets.add((data_dir / "secrets" / "session_secret_key").read_text())
    logs = {path.name: path.read_text() for path in (data_dir / "logs").iterdir()}
    assert set(logs) == {"vidjil-local.log", "requests.log"}
    assert "vidjil-local serving on" in logs["vidjil-local.log"]
    requests = logs["requests.log"]
    assert f"127.0.0.1 {EMAIL} POST /api/auth/password 204" in requests
    assert f"127.0.0.1 {EMAIL} POST /api/auth/logout 204" in requests
    assert f"127.0.0.1 {EMAIL} POST /api/auth/login/code 200" in requests
    assert "127.0.0.1 - GET /auth/launch?token=*** 200" in requests
    for secret in sorted(secrets):
        for name, text in logs.items():
            assert secret not in text, f"{name} holds a secret ({secret[:3]}...)"


def use_token_of(output: str) -> str:
    """The first launch's token: printed on the console (for the person at the computer), never
    logged."""
    return launch_url(output).rsplit("=", 1)[-1]
