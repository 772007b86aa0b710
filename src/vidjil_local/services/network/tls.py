"""The server's HTTPS certificate: the administrator's own, or a self-signed one made here.

A self-signed certificate (ECDSA P-256, made with `cryptography`) lives in `<data dir>/tls/`: the
certificate in clear, the private key encrypted with a passphrase kept in the install's secret
store, so a copy of the data folder alone does not hold a usable key. It names this computer
(localhost, its host names, loopback and the listening address) and is made again when it is
within a month of its end or lacks a name the app now answers to; its SHA-256 fingerprint is
what users and worker machines compare before trusting it (admin guide).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vidjil_local import __version__
from vidjil_local.errors import UsageError
from vidjil_local.settings import Settings, secrets_of

FOLDER = "tls"
CERTIFICATE = "self-signed.crt"
KEY = "self-signed.key"
PASSPHRASE_SECRET = "tls_key_passphrase"
VALID_DAYS = 3 * 365
RENEW_BEFORE_DAYS = 30
_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, key_cert_sign=True, content_commitment=False, key_encipherment=False,
    data_encipherment=False, key_agreement=False, crl_sign=False, encipher_only=False,
    decipher_only=False,
)  # fmt: skip


@dataclass(frozen=True)
class TlsFiles:
    """What uvicorn loads, and what the admin page shows of it."""

    certificate: Path
    key: Path
    password: str
    self_signed: bool


@dataclass(frozen=True)
class CertificateInfo:
    fingerprint_sha256: str  # colon-separated upper-case hex, as browsers show it
    subject: str
    names: list[str]
    not_before: str
    not_after: str
    self_signed: bool
    path: str


def server_tls(settings: Settings) -> TlsFiles:
    """The certificate and key to serve HTTPS with: the admin's, checked, else the self-signed
    one, made or renewed when needed."""
    if settings.tls_certificate is not None or settings.tls_key is not None:
        return _given(settings)
    folder = settings.data_dir / FOLDER
    password = secrets_of(settings).get_or_create(PASSPHRASE_SECRET)
    certificate, key = folder / CERTIFICATE, folder / KEY
    names = wanted_names(settings)
    if not _still_good(certificate, key, names, password):
        _make_self_signed(folder, certificate, key, password, names)
    return TlsFiles(certificate, key, password, True)


def certificate_path(settings: Settings) -> tuple[Path, bool]:
    """The certificate the HTTPS listener serves, and whether it is the self-signed one."""
    if settings.tls_certificate is not None:
        return settings.tls_certificate, False
    return settings.data_dir / FOLDER / CERTIFICATE, True


def _given(settings: Settings) -> TlsFiles:
    certificate, key = settings.tls_certificate, settings.tls_key
    if certificate is None or key is None:
        raise UsageError("tls_certificate and tls_key go together: set both, or neither")
    for path in (certificate, key):
        if not path.is_file():
            raise UsageError(f"the TLS file {path} does not exist or is not a file")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certificate, key, settings.tls_key_password or None)
    except (ssl.SSLError, OSError) as error:
        raise UsageError(
            f"cannot use {certificate} with {key} for HTTPS ({error}): check that the key "
            "belongs to the certificate and tls_key_password"
        ) from None
    return TlsFiles(certificate, key, settings.tls_key_password, False)


def wanted_names(settings: Settings) -> list[str]:
    """Names the certificate should hold: loopback, this computer's names, the listening
    address when it is one, and the names of `allowed_hosts`."""
    names = {"localhost", "127.0.0.1", "::1", socket.gethostname(), socket.getfqdn()}
    if settings.network_address not in ("", "0.0.0.0", "::"):
        names.add(settings.network_address)
    for entry in settings.allowed_hosts:
        names.add(_without_port(entry))
    return sorted(name.lower() for name in names if name)


def _without_port(entry: str) -> str:
    if entry.startswith("["):
        return entry[1:].split("]")[0]
    return entry.rsplit(":", 1)[0] if entry.count(":") == 1 else entry


def _still_good(certificate: Path, key: Path, names: list[str], password: str) -> bool:
    """The certificate can serve on: readable, its key opens with the stored passphrase (a
    secret store that lost it means a new certificate, not an app that cannot start), not near
    its end, and naming every name wanted."""
    if not certificate.is_file() or not key.is_file():
        return False
    try:
        loaded = x509.load_pem_x509_certificate(certificate.read_bytes())
        serialization.load_pem_private_key(key.read_bytes(), password.encode())
    except (ValueError, TypeError):
        return False
    ends = loaded.not_valid_after_utc
    if ends - datetime.now(UTC) < timedelta(days=RENEW_BEFORE_DAYS):
        return False
    return set(names) <= set(_names_of(loaded))


def _make_self_signed(
    folder: Path, certificate: Path, key: Path, password: str, names: list[str]
) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, socket.gethostname()[:64] or "vidjil-local"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"vidjil-local {__version__}"),
        ]
    )
    start = datetime.now(UTC) - timedelta(minutes=5)
    built = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(_general_names(names)), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_KEY_USAGE, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(private, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode())
    key_bytes = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write(key, key_bytes, 0o600)
    _write(certificate, built.public_bytes(serialization.Encoding.PEM), 0o644)


def _write(path: Path, content: bytes, mode: int) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content)
    temporary.chmod(mode)
    temporary.replace(path)


def _general_names(names: list[str]) -> list[x509.GeneralName]:
    general: list[x509.GeneralName] = []
    for name in names:
        try:
            general.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            general.append(x509.DNSName(name))
    return general


def _names_of(certificate: x509.Certificate) -> list[str]:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    names = extension.value
    return [*names.get_values_for_type(x509.DNSName)] + [
        str(address) for address in names.get_values_for_type(x509.IPAddress)
    ]


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate (DER), as `AB:CD:...` like browsers show it."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[index : index + 2] for index in range(0, len(digest), 2))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, with or without colons or spaces) in `fingerprint`'s
    form; a UsageError when it is not 64 hex digits."""
    digits = "".join(character for character in text if character not in ": \t").upper()
    if len(digits) != 64 or any(character not in "0123456789ABCDEF" for character in digits):
        raise UsageError(f"{text!r} is not a SHA-256 fingerprint (64 hexadecimal digits)")
    return ":".join(digits[index : index + 2] for index in range(0, 64, 2))


def describe(path: Path, self_signed: bool) -> CertificateInfo:
    loaded = x509.load_pem_x509_certificate(path.read_bytes())
    return CertificateInfo(
        fingerprint_sha256=fingerprint(loaded.public_bytes(serialization.Encoding.DER)),
        subject=loaded.subject.rfc4514_string(),
        names=_names_of(loaded),
        not_before=loaded.not_valid_before_utc.isoformat(timespec="seconds"),
        not_after=loaded.not_valid_after_utc.isoformat(timespec="seconds"),
        self_signed=self_signed,
        path=str(path),
    )
