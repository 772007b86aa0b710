"""HTTPS answers (Secure cookies, HSTS), the listeners the settings allow, and the self-signed
certificate's life: made once, kept, made again when a name is missing or its end is near."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from tests.network_certificates import write_certificate
from vidjil_local.api.transport import https_headers
from vidjil_local.errors import UsageError
from vidjil_local.services.network import listening, tls
from vidjil_local.settings import resolve_settings


def answer(scheme: str, host: bytes) -> list[tuple[bytes, bytes]]:
    message: dict[str, Any] = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"set-cookie", b"csrftoken=abc; Path=/; SameSite=Strict")],
    }
    scope: dict[str, Any] = {"type": "http", "scheme": scheme, "headers": [(b"host", host)]}
    # Stepped by hand, not by asyncio.run: the browser tests leave Playwright's event loop
    # running in this thread, and the hook awaits nothing.
    step = https_headers(message, scope)  # type: ignore[arg-type]
    with pytest.raises(StopIteration):
        step.send(None)
    return list(message["headers"])


def test_https_answers_have_secure_cookies_and_hsts_for_network_names() -> None:
    headers = dict(answer("https", b"lab-server.example:8443"))
    assert headers[b"set-cookie"].endswith(b"; Secure")
    assert headers[b"strict-transport-security"] == b"max-age=31536000"


def test_https_on_a_loopback_name_has_no_hsts_and_plain_http_is_untouched() -> None:
    loopback = dict(answer("https", b"127.0.0.1:8443"))
    assert loopback[b"set-cookie"].endswith(b"; Secure")
    assert b"strict-transport-security" not in loopback
    assert answer("http", b"127.0.0.1:8000") == [
        (b"set-cookie", b"csrftoken=abc; Path=/; SameSite=Strict")
    ]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("192.168.1.10", False), ("lab", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert listening.is_loopback(host) is loopback


def test_listeners_refuse_plain_http_beyond_loopback(tmp_path: Path) -> None:
    # the settings refuse such a host (settings/setting.py); a Settings made otherwise still is
    settings = resolve_settings(tmp_path, environ={}).with_values(host="192.168.1.10")
    with pytest.raises(UsageError, match=r"does not serve plain HTTP on 192\.168\.1\.10"):
        listening.listeners(settings)
    on = resolve_settings(
        tmp_path, environ={}, overrides={"network_access": True, "network_port": 9443}
    )
    assert listening.listeners(on).network == ("0.0.0.0", 9443)
    same = resolve_settings(
        tmp_path, environ={}, overrides={"network_access": True, "port": 9443, "network_port": 9443}
    )
    with pytest.raises(UsageError, match="a port of its own"):
        listening.listeners(same)


def test_self_signed_certificate_is_made_once_and_remade_for_a_new_name(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path, environ={}, overrides={"network_access": True})
    first = tls.server_tls(settings)
    assert first.self_signed and first.password
    made = first.certificate.read_bytes()
    assert tls.server_tls(settings).certificate.read_bytes() == made  # kept
    assert (first.key.stat().st_mode & 0o777) == 0o600

    named = resolve_settings(
        tmp_path, environ={}, overrides={"network_access": True, "network_address": "10.1.2.3"}
    )
    again = tls.server_tls(named)
    assert again.certificate.read_bytes() != made
    assert "10.1.2.3" in tls.describe(again.certificate, self_signed=True).names


def test_self_signed_certificate_near_its_end_is_made_again(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path, environ={}, overrides={"network_access": True})
    files = tls.server_tls(settings)
    folder = tmp_path / "old"
    old_certificate, _key = write_certificate(folder, tls.wanted_names(settings), days=10)
    files.certificate.write_bytes(old_certificate.read_bytes())
    renewed = tls.server_tls(settings).certificate
    ends = x509.load_pem_x509_certificate(renewed.read_bytes()).not_valid_after_utc
    start = x509.load_pem_x509_certificate(old_certificate.read_bytes()).not_valid_before_utc
    assert (ends - start).days > 365


def test_given_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    certificate, _key = write_certificate(tmp_path / "given", ["lab"])
    settings = resolve_settings(
        tmp_path, environ={}, overrides={"tls_certificate": str(certificate)}
    )
    with pytest.raises(UsageError, match="go together"):
        tls.server_tls(settings)


def test_fingerprints_as_typed() -> None:
    digits = "ab" * 32
    expected = ":".join(["AB"] * 32)
    assert tls.normalise_fingerprint(digits) == expected
    assert tls.normalise_fingerprint(expected.lower().replace(":", " ")) == expected
    with pytest.raises(UsageError, match="not a SHA-256 fingerprint"):
        tls.normalise_fingerprint("AB:CD")
