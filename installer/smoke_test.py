"""Check a built vidjil-local on the machine that built it (any system, standard library only):

    python installer/smoke_test.py PROGRAM [READS_FILE]

`--version` says the core is compiled; `serve` answers /api/health and serves the client; an
administrator is created and stops the app with the Quit action (the clean stop every system has);
with READS_FILE, `analyze` runs with a process pool of 2 (spawn in the frozen program). Used by the
Windows and macOS jobs of .github/workflows/installers.yml and by tests/frozen here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ADMIN = {"email": "smoke@test.example", "password": "smoke test password 1"}


def check_version(program: str) -> None:
    version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=120)
    assert "(core: compiled)" in version.stdout, version.stdout + version.stderr
    print(version.stdout.strip())


def wait_for_base_url(data_dir: Path, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            port = json.loads((data_dir / "instance.json").read_text())["port"]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as answer:
                assert json.load(answer)["core"] == "compiled"
                return f"http://127.0.0.1:{port}"
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise AssertionError("no answer from /api/health within 60 s")


def post_json(opener: urllib.request.OpenerDirector, url: str, token: str, body: object) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "x-csrftoken": token},
        method="POST",
    )
    with opener.open(request, timeout=30) as answer:
        return int(answer.status)


def serve_then_quit(program: str, data_dir: Path) -> None:
    started = time.monotonic()
    server = subprocess.Popen([program, "--data-dir", str(data_dir), "serve", "--port", "0"])
    try:
        base = wait_for_base_url(data_dir, server)
        print(f"/api/health answered {time.monotonic() - started:.2f} s after start")
        cookies = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        with opener.open(base + "/", timeout=30) as page:
            assert b'type="module"' in page.read(), "the client is not served"
        opener.open(base + "/api/auth/status", timeout=30).close()
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken") or ""
        assert post_json(opener, base + "/api/auth/setup", token, ADMIN) == 201
        assert post_json(opener, base + "/api/admin/quit", token, {}) == 202
        assert server.wait(timeout=60) == 0, "the Quit action did not stop the app cleanly"
        print("served the client and stopped on Quit")
    finally:
        if server.poll() is None:
            server.kill()


def analyze(program: str, reads: Path, output: Path) -> None:
    command = [program, "analyze", str(reads), "-g", "human:IGH", "-o", str(output)]
    done = subprocess.run([*command, "--processes", "2", "--quiet"], timeout=600)
    assert done.returncode == 0, "analyze failed"
    clones = json.loads(next(output.glob("*.vidjil")).read_text())["clones"]
    assert clones and next(output.glob("*.tsv")).stat().st_size > 0
    print(f"analyze with 2 processes: {len(clones)} clones")


def main(arguments: list[str]) -> None:
    program = str(Path(arguments[0]).resolve())
    check_version(program)
    with tempfile.TemporaryDirectory() as folder:
        serve_then_quit(program, Path(folder) / "data")
        if len(arguments) > 1:
            analyze(program, Path(arguments[1]), Path(folder) / "analysis")
    print("smoke test passed")


if __name__ == "__main__":
    main(sys.argv[1:])
