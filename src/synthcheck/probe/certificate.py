"""Read an https target's TLS certificate: validity dates, names, and whether it verifies.

The certificate is fetched with verification off (an expired or self-signed one must
still be read to say *how* it is wrong), then, when the environment verifies TLS, a
second handshake with the system trust store says whether clients would accept it.
The validity dates are read from the DER bytes directly (a few lines of ASN.1), so
no crypto library is needed.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

__all__ = ["CertificateError", "CertificateInfo", "fetch_certificate", "parse_validity"]

_COMMON_NAME_OID = b"\x06\x03\x55\x04\x03"


class CertificateError(Exception):
    """The certificate could not be read (refused, timed out, not TLS)."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True)
class CertificateInfo:
    host: str
    port: int
    not_before: datetime
    not_after: datetime
    subject: str  # common name, or "" when the certificate has none
    issuer: str
    verified: bool | None  # None: verification was not attempted
    verify_error: str = ""

    def days_left(self, now: datetime | None = None) -> float:
        now = now or datetime.now(UTC)
        return (self.not_after - now).total_seconds() / 86400.0


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at ``pos``."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found = []
    pos = start
    while pos < end:
        element = _tlv(data, pos)
        found.append(element)
        pos = element[2]
    return found


def _time(data: bytes, element: tuple[int, int, int]) -> datetime:
    tag, start, end = element
    text = data[start:end].decode("ascii")
    layout = "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ"  # UTCTime / GeneralizedTime
    return datetime.strptime(text, layout).replace(tzinfo=UTC)


def _common_name(data: bytes, start: int, end: int) -> str:
    at = data.find(_COMMON_NAME_OID, start, end)
    if at == -1:
        return ""
    _, value_start, value_end = _tlv(data, at + len(_COMMON_NAME_OID))
    return data[value_start:value_end].decode("utf-8", errors="replace")


def parse_validity(der: bytes) -> tuple[datetime, datetime, str, str]:
    """(not_before, not_after, subject CN, issuer CN) of a DER X.509 certificate."""
    _, cert_start, cert_end = _tlv(der, 0)
    _, tbs_start, tbs_end = _children(der, cert_start, cert_end)[0]
    fields = _children(der, tbs_start, tbs_end)
    if fields and fields[0][0] == 0xA0:  # explicit [0] version
        fields = fields[1:]
    # serial, signature algorithm, issuer, validity, subject, ...
    issuer, validity, subject = fields[2], fields[3], fields[4]
    not_before, not_after = _children(der, validity[1], validity[2])[:2]
    return (
        _time(der, not_before),
        _time(der, not_after),
        _common_name(der, subject[1], subject[2]),
        _common_name(der, issuer[1], issuer[2]),
    )


def _handshake(host: str, port: int, context: ssl.SSLContext, timeout: float) -> bytes:
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise CertificateError(f"{host}:{port} sent no certificate")
    return der


def fetch_certificate(
    url: str,
    *,
    verify: bool,
    timeout: float = 5.0,
    contexts: tuple[ssl.SSLContext, ssl.SSLContext] | None = None,
) -> CertificateInfo:
    """``contexts``: (read, verify) contexts, e.g. with ``[http] ca_bundle`` and a client
    certificate (probe/tls_context.py ``handshake_contexts``); default: the system's CAs."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    if contexts is None:
        unchecked = ssl.create_default_context()
        unchecked.check_hostname = False
        unchecked.verify_mode = ssl.CERT_NONE
        trust = ssl.create_default_context()
    else:
        unchecked, trust = contexts
    try:
        der = _handshake(host, port, unchecked, timeout)
    except (ConnectionError, TimeoutError, socket.gaierror) as exc:
        raise CertificateError(f"cannot connect to {host}:{port}: {exc}", unreachable=True) from exc
    except (ssl.SSLError, OSError) as exc:
        raise CertificateError(f"TLS handshake with {host}:{port} failed: {exc}") from exc
    not_before, not_after, subject, issuer = parse_validity(der)
    verified: bool | None = None
    error = ""
    if verify:
        try:
            _handshake(host, port, trust, timeout)
            verified = True
        except ssl.SSLCertVerificationError as exc:
            verified, error = False, exc.verify_message or str(exc)
        except (ssl.SSLError, OSError) as exc:
            verified, error = False, str(exc)
    return CertificateInfo(host, port, not_before, not_after, subject, issuer, verified, error)
