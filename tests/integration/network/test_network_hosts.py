"""The Host allow-list with the lab network on: a real `serve` whose HTTPS listener is on an
address other than 127.0.0.1 answers to this computer's name and to that address (the names of
its certificate), and refuses any other name (DNS rebinding) with 400 `bad_host`."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.app_process import start_app, stop, wait_for_url
from vidjil_local.services.network import tls

pytestmark = pytest.mark.slow
ADDRESS = "127.0.0.2"  # a loopback address Linux answers on, yet none of the loopback names


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(loopback URL, HTTPS URL, data folder) of a server with network access on ADDRESS."""
    data_dir = tmp_path_factory.mktemp("hosts") / "data"
    network = ("network_access=true", f"network_address={ADDRESS}", "network_port=0")
    options = [part for setting in network for part in ("--set", setting)]
    server = start_app(data_dir, *options, "serve", "--port", "0")
    try:
        local = wait_for_url(data_dir, server, timeout=90)
        info = json.loads((data_dir / "instance.json").read_text(encoding="utf-8"))
        yield local, str(info["network_url"]), data_dir
    finally:
        stop(server)


def health(url: str, host: str, certificate: Path | None = None) -> httpx.Response:
    verify = True if certificate is None else ssl.create_default_context(cafile=certificate)
    return httpx.get(url + "/api/health", headers={"Host": host}, verify=verify, timeout=30)


def test_the_https_listener_answers_to_its_own_names(served: tuple[str, str, Path]) -> None:
    _local, https, data_dir = served
    certificate = data_dir / "tls" / "self-signed.crt"
    port = https.rsplit(":", 1)[1]
    names = tls.describe(certificate, self_signed=True).names
    assert ADDRESS in names and socket.gethostname().lower() in names
    for host in (f"{ADDRESS}:{port}", f"{socket.gethostname()}:{port}", f"localhost:{port}"):
        answer = health(https, host, certificate)
        assert answer.status_code == 200, (host, answer.text)


def test_another_name_is_refused_on_both_listeners(served: tuple[str, str, Path]) -> None:
    local, https, data_dir = served
    port = https.rsplit(":", 1)[1]
    refused = health(https, f"rebound.example:{port}", data_dir / "tls" / "self-signed.crt")
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "bad_host"
    plain = health(local, "rebound.example:" + local.rsplit(":", 1)[1])
    assert plain.status_code == 400 and plain.json()["error"]["code"] == "bad_host"
    # this computer's name on another port than the listener's is not this server either
    elsewhere = health(https, f"{socket.gethostname()}:1", data_dir / "tls" / "self-signed.crt")
    assert elsewhere.status_code == 400 and elsewhere.json()["error"]["code"] == "bad_host"
