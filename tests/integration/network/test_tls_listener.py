"""The app opened to the lab network: a real `serve` process with its HTTPS listener, a real TLS
handshake against the certificate it made (or the one the admin gave), and plain HTTP refused."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.app_process import PYTHON_APP, csrf_client, start_app, stop, wait_for_url
from tests.integration.api.conftest import ADMIN
from tests.network_certificates import write_certificate
from vidjil_local.services.network import tls

pytestmark = pytest.mark.slow
NETWORK = (
    "--set", "network_access=true", "--set", "network_address=127.0.0.1",
    "--set", "network_port=0",
)  # fmt: skip


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def network_url(data_dir: Path) -> str:
    info = json.loads((data_dir / "instance.json").read_text(encoding="utf-8"))
    url = info["network_url"]
    assert isinstance(url, str) and url.startswith("https://127.0.0.1:")
    return url


def served_fingerprint(url: str) -> str:
    host, port = url.removeprefix("https://").split(":")
    pem = ssl.get_server_certificate((host, int(port)))
    return tls.fingerprint(ssl.PEM_cert_to_DER_cert(pem))


def trusting(certificate: Path) -> ssl.SSLContext:
    """What a colleague's browser does once the admin's certificate is trusted."""
    return ssl.create_default_context(cafile=str(certificate))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(loopback URL, HTTPS URL, data folder) of a server with a self-signed certificate."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    server = start_app(data_dir, *NETWORK, "serve", "--port", "0")
    try:
        local = wait_for_url(data_dir, server, timeout=90)
        yield local, network_url(data_dir), data_dir
    finally:
        stop(server)


def test_https_listener_serves_with_the_self_signed_certificate_it_made(
    served: tuple[str, str, Path],
) -> None:
    local, https, data_dir = served
    certificate = data_dir / "tls" / "self-signed.crt"
    info = tls.describe(certificate, self_signed=True)
    assert served_fingerprint(https) == info.fingerprint_sha256
    assert {"127.0.0.1", "localhost"} <= set(info.names)
    key = (data_dir / "tls" / "self-signed.key").read_text(encoding="ascii")
    assert "ENCRYPTED PRIVATE KEY" in key  # a copy of the data folder alone holds no usable key

    with httpx.Client(base_url=https, verify=trusting(certificate), timeout=30) as client:
        health = client.get("/api/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        cookies = health.headers.get_list("set-cookie")  # the CSRF cookie, at the first visit
        assert cookies and all("; Secure" in cookie for cookie in cookies)
    # the desktop's own address stays plain HTTP on loopback, its cookies usable there
    plain = httpx.get(local + "/api/health", timeout=30)
    assert plain.status_code == 200 and plain.headers.get_list("set-cookie")
    assert all("Secure" not in cookie for cookie in plain.headers.get_list("set-cookie"))
    assert "strict-transport-security" not in plain.headers


def test_the_admin_pages_show_the_port_the_listener_got(served: tuple[str, str, Path]) -> None:
    # network_port 0 takes any free port: the status and Workers pages said https://...:0, and
    # the worker command they gave could not connect
    local, https, _data = served
    api = csrf_client(local)
    assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
    shown = api.get("/api/admin/network").json()["url"]
    on_workers_page = api.get("/api/admin/workers/").json()["network"]["url"]
    api.close()
    port = https.rsplit(":", 1)[1]
    assert shown == https and on_workers_page == https and port != "0"


def test_plain_http_to_the_tls_port_fails(served: tuple[str, str, Path]) -> None:
    _local, https, _data = served
    with pytest.raises(httpx.TransportError):
        httpx.get(https.replace("https://", "http://") + "/api/health", timeout=10)


def test_an_unknown_certificate_is_refused_by_a_verifying_client(
    served: tuple[str, str, Path],
) -> None:
    _local, https, _data = served
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(https + "/api/health", timeout=10)


def test_the_certificate_is_kept_across_restarts_and_shown_to_the_admin(data_dir: Path) -> None:
    fingerprints = []
    for _ in range(2):
        server = start_app(data_dir, *NETWORK, "serve", "--port", "0")
        try:
            wait_for_url(data_dir, server, timeout=90)
            fingerprints.append(served_fingerprint(network_url(data_dir)))
        finally:
            output = stop(server)
        assert "for the lab network on https://127.0.0.1:" in output
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0] in output  # logged at start, to compare with what browsers show


def test_plain_http_beyond_loopback_is_refused_with_a_clear_message(data_dir: Path) -> None:
    refused = subprocess.run(
        [*PYTHON_APP, "--data-dir", str(data_dir), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "does not serve plain HTTP on 0.0.0.0" in refused.stderr
    assert "network_access" in refused.stderr


def test_the_admins_own_certificate_and_encrypted_key(data_dir: Path, tmp_path: Path) -> None:
    certificate, key = write_certificate(tmp_path / "given", ["127.0.0.1"], password="s3cret-key")
    given = (
        "--set", f"tls_certificate={certificate}", "--set", f"tls_key={key}",
    )  # fmt: skip
    wrong = subprocess.run(
        [*PYTHON_APP, "--data-dir", str(data_dir), *NETWORK, *given,
         "--set", "tls_key_password=wrong", "serve", "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert wrong.returncode != 0 and f"cannot use {certificate} with {key}" in wrong.stderr
    assert "s3cret" not in wrong.stderr + wrong.stdout

    server = start_app(
        data_dir, *NETWORK, *given, "serve", "--port", "0",
        env={"VIDJIL_TLS_KEY_PASSWORD": "s3cret-key"},
    )  # fmt: skip
    try:
        wait_for_url(data_dir, server, timeout=90)
        https = network_url(data_dir)
        expected = tls.describe(certificate, self_signed=False).fingerprint_sha256
        assert served_fingerprint(https) == expected
        with httpx.Client(verify=trusting(certificate), timeout=30) as client:
            assert client.get(https + "/api/health").status_code == 200
    finally:
        output = stop(server)
    assert not (data_dir / "tls" / "self-signed.crt").exists()
    assert "s3cret" not in output


def test_network_port_taken_is_a_clear_error(data_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        refused = subprocess.run(
            [*PYTHON_APP, "--data-dir", str(data_dir), *NETWORK,
             "--set", f"network_port={port}", "serve", "--port", "0"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert refused.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in refused.stderr
    assert "another program uses this port. Stop it, or choose another network_port" in (
        refused.stderr
    )
