"""A real `vidjil-local serve` in its own process group, killed with SIGKILL the way a power cut
or the OOM killer would, and started again on the same data folder; an HTTP client that logs in
as the lab's admin and sends the CSRF header as the browser client does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from tests.waiting import wait_until

ADMIN = {"email": "admin@lab.example", "password": "correct horse battery"}
START_SECONDS = 90  # a loaded 2-core machine may take long to import and migrate


def processes_in_group(group: int) -> list[int]:
    """Ids of the live processes of a process group (zombies excluded), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


class LabServer:
    """`vidjil-local serve` on `data_dir`, leader of its own process group: its job children (one
    spawned process per running job) belong to the group, so `kill()` can take them too."""

    def __init__(self, data_dir: Path, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "BROWSER": "false", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.log = data_dir.parent / "server-output.log"

    def start(self) -> str:
        assert self.process is None, "already started"
        command = [sys.executable, "-m", "vidjil_local", "--data-dir", str(self.data_dir)]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, "serve", "--port", "0"],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,  # its own process group: the job children join it
            )
        self.url = wait_until(self._answering, timeout=START_SECONDS, what=self._start_failure)
        return self.url

    def _answering(self) -> str | None:
        assert self.process is not None
        assert self.process.poll() is None, self._start_failure()
        try:  # instance.json of the killed process may still be there: wait for this one's
            info = json.loads((self.data_dir / "instance.json").read_text())
        except (OSError, ValueError):
            return None
        if info.get("pid") != self.process.pid:
            return None
        url = "http://127.0.0.1:{}".format(info["port"])
        try:
            healthy = httpx.get(url + "/api/health", timeout=5).status_code == 200
        except httpx.TransportError:
            return None
        return url if healthy else None

    def _start_failure(self) -> str:
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        return f"the server did not start; its output ends with:\n{tail}"

    def kill(self, *, whole_group: bool = True) -> None:
        """SIGKILL the server (and, with `whole_group`, its job children at the same instant);
        children left alone must notice the parent's death and exit by themselves."""
        assert self.process is not None
        group = self.process.pid
        if whole_group:
            os.killpg(group, signal.SIGKILL)
        else:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None
        wait_until(
            lambda: not processes_in_group(group),
            timeout=15,
            what=lambda: f"processes of the killed server outlived it: {processes_in_group(group)}",
        )

    def stop(self) -> None:
        """A clean stop (SIGINT, as Ctrl+C); SIGKILL to the group if it hangs."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class LabClient:
    """The admin's session over HTTP (a new one after each restart: sessions survive restarts,
    but the client logs in again as a user would after a crash)."""

    def __init__(self, url: str, *, cookies: httpx.Cookies | None = None) -> None:
        self.http = httpx.Client(base_url=url, timeout=60, cookies=cookies)
        if cookies is None:
            self.http.get("/api/auth/status")  # the CSRF cookie

    def headers(self) -> dict[str, str]:
        return {"x-csrftoken": self.http.cookies.get("csrftoken") or ""}

    def setup_or_login(self) -> None:
        status = self.http.get("/api/auth/status").json()
        if status["needs_setup"]:
            answer = self.post("/api/auth/setup", json=ADMIN)
        else:
            answer = self.post("/api/auth/login", json=ADMIN)
        assert answer.status_code in (200, 201), answer.text

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(url, **self._with_csrf(kwargs))

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.put(url, **self._with_csrf(kwargs))

    def _with_csrf(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {**kwargs, "headers": {**kwargs.get("headers", {}), **self.headers()}}

    def ok(self, response: httpx.Response) -> Any:
        assert response.is_success, (
            f"{response.request.url}: {response.status_code} {response.text}"
        )
        return response.json()

    def close(self) -> None:
        self.http.close()
