"""A worker machine's calls to the server (`/api/worker/...`, `api/workers.py`) over HTTPS.

Every request carries the worker's token, its version (the server refuses another one), its host
name and cores. Inputs are streamed to disk, resumed with a byte range after a cut, and checked
against the SHA-256 the server announced; result files are streamed up with theirs.

Trust: the server's certificate is checked against the system's authorities, or a CA file, or
pinned by its SHA-256 fingerprint (the one the server's status page shows): the worker fetches
the certificate once, compares, keeps it, and from then on trusts that certificate only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from vidjil_local import __version__
from vidjil_local.errors import Conflict, NotAuthenticated, UsageError, VidjilError
from vidjil_local.services.network import tls
from vidjil_local.services.network.listening import is_loopback

log = logging.getLogger(__name__)
BLOCK = 1024 * 1024
FETCH_TRIES = 5
PINNED = "server-certificate.pem"


class ServerRefused(VidjilError):
    """The server refused this worker for good: unknown or revoked token, other version."""


class LeaseGone(Conflict):
    """The job is no longer this worker's (lease expired, cancelled, finished elsewhere)."""


def trust(server: str, data_dir: Path, *, fingerprint: str, ca_file: Path | None) -> Any:
    """What httpx verifies the server's certificate with (see the module's doc)."""
    parts = urlsplit(server)
    if parts.scheme != "https":
        if parts.scheme == "http" and is_loopback(parts.hostname or ""):
            return True
        raise UsageError(f"--server must be an https:// address, not {server!r}")
    if ca_file is not None:
        return ssl.create_default_context(cafile=str(ca_file))
    if not fingerprint:
        return ssl.create_default_context()
    expected = tls.normalise_fingerprint(fingerprint)
    pinned = data_dir / PINNED
    if not pinned.is_file() or _fingerprint_of(pinned.read_text()) != expected:
        pem = ssl.get_server_certificate((parts.hostname or "", parts.port or 443))
        if _fingerprint_of(pem) != expected:
            raise UsageError(
                f"the server's certificate has the fingerprint {_fingerprint_of(pem)}, not "
                f"{expected}: do not go on before the administrator confirms which is right"
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        pinned.write_text(pem, encoding="ascii")
    context = ssl.create_default_context(cafile=str(pinned))
    context.check_hostname = False  # pinned: this very certificate, whatever name it holds
    return context


def _fingerprint_of(pem: str) -> str:
    return tls.fingerprint(ssl.PEM_cert_to_DER_cert(pem))


class ServerClient:
    def __init__(
        self, server: str, token: str, verify: Any, cores: int, source_address: str = ""
    ) -> None:
        headers = {
            "authorization": f"Bearer {token}",
            "x-vidjil-version": __version__,
            "x-vidjil-host": socket.gethostname(),
            "x-vidjil-cores": str(cores),
        }
        # the address it calls from, on a machine with several (the server notes it per worker)
        transport = httpx.HTTPTransport(verify=verify, local_address=source_address or None)
        self.http = httpx.Client(
            base_url=server.rstrip("/"), headers=headers, transport=transport,
            timeout=httpx.Timeout(60, connect=10),
        )  # fmt: skip

    def close(self) -> None:
        self.http.close()

    def hello(self) -> dict[str, Any]:
        return self._json("GET", "/api/worker/hello")

    def claim(self, job_id: int) -> dict[str, Any] | None:
        try:
            return self._json("POST", f"/api/worker/jobs/{job_id}/claim")
        except LeaseGone:
            return None

    def progress(self, job_id: int, attempt: int, fraction: float | None) -> bool:
        body = {"attempt": attempt, "progress": fraction}
        answer = self._json("POST", f"/api/worker/jobs/{job_id}/progress", json=body)
        return bool(answer["cancel"])

    def complete(self, job_id: int, attempt: int, result: dict[str, Any]) -> None:
        body = {"attempt": attempt, "result": result}
        self._call("POST", f"/api/worker/jobs/{job_id}/complete", json=body)

    def fail(self, job_id: int, attempt: int, ending: str, error: dict[str, Any]) -> None:
        body = {"attempt": attempt, "ending": ending, "error": error}
        self._call("POST", f"/api/worker/jobs/{job_id}/fail", json=body)

    def release(self, job_id: int, attempt: int) -> None:
        self._call("POST", f"/api/worker/jobs/{job_id}/release", json={"attempt": attempt})

    def fetch(self, job_id: int, attempt: int, entry: dict[str, Any], folder: Path) -> Path:
        """Input file `entry` of the job into `folder`, resumed after a cut, checked."""
        target: Path = folder / str(entry["name"])
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        url = f"/api/worker/jobs/{job_id}/inputs/{entry['index']}"
        for _ in range(FETCH_TRIES):
            try:
                self._fetch_into(part, url, attempt, int(entry["size"]))
            except httpx.TransportError as error:  # cut: the next try resumes
                log.warning("job %d: download of %s cut (%s)", job_id, entry["name"], error)
                continue
            if _sha256(part) == entry["sha256"]:
                os.replace(part, target)
                return target
            part.unlink()  # corrupted on the way: fetched again from the start
        raise UsageError(f"could not fetch {entry['name']} intact in {FETCH_TRIES} tries")

    def _fetch_into(self, part: Path, url: str, attempt: int, size: int) -> None:
        start = part.stat().st_size if part.is_file() else 0
        if start >= size:
            part.unlink(missing_ok=True)
            start = 0
        headers = {"range": f"bytes={start}-"} if start else {}
        params = {"attempt": attempt}
        with self.http.stream("GET", url, params=params, headers=headers) as response:
            _raise_for(response)
            mode = "ab" if response.status_code == 206 else "wb"
            with part.open(mode) as handle:
                for block in response.iter_bytes(BLOCK):
                    handle.write(block)

    def send_output(self, job_id: int, attempt: int, path: Path) -> None:
        params: dict[str, str | int] = {"attempt": attempt, "sha256": _sha256(path)}
        url = f"/api/worker/jobs/{job_id}/outputs/{path.name}"
        size = str(path.stat().st_size)
        response = self.http.put(
            url, params=params, content=_read(path), headers={"content-length": size}
        )
        _raise_for(response)

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(method, path, **kwargs).json()
        return answer

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, path, **kwargs)
        _raise_for(response)
        return response


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    response.read()
    try:
        error = response.json()["error"]
        message, code = str(error["message"]), str(error.get("code", ""))
    except (ValueError, KeyError, TypeError):
        message, code = response.text[:200], ""
    if response.status_code == 401 or code == "worker_version":
        raise ServerRefused(f"the server refused this worker: {message}")
    if response.status_code == 409:
        raise LeaseGone(message)
    if response.status_code == 403:
        raise NotAuthenticated(message)
    raise VidjilError(f"the server answered {response.status_code}: {message}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            yield block
