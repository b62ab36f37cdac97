"""TLS certificate checks against a loopback HTTPS server with a short-lived certificate."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from synthcheck.probe.certificate import CertificateError, fetch_certificate, parse_validity
from synthcheck.verdicts import Outcome, tls
from tests.support.sockets import free_port
from tests.support.tls_server import https_server, make_certificate


def test_validity_is_read_from_the_der_bytes(tmp_path: Path) -> None:
    cert, _ = make_certificate(tmp_path, days=3)
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    not_before, not_after, subject, issuer = parse_validity(der)
    assert subject == issuer == "127.0.0.1"
    assert timedelta(days=2.9) < not_after - not_before < timedelta(days=3.1)
    assert abs(datetime.now(UTC) - not_before) < timedelta(minutes=5)


def test_a_certificate_expiring_sooner_than_the_minimum_fails(tmp_path: Path) -> None:
    with https_server(tmp_path, days=2) as url:
        cert = fetch_certificate(url, verify=False)
    result = tls.certificate_expiry(cert, min_days=14)
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "tls"
    assert "under the 14-day minimum" in result.message
    assert result.budget == "certificate valid for ≥ 14 more days"
    assert 1.5 < float(result.metrics["days_left"]) < 2.1  # type: ignore[arg-type]


def test_a_long_lived_certificate_passes(tmp_path: Path) -> None:
    with https_server(tmp_path, days=60) as url:
        cert = fetch_certificate(url, verify=False)
    assert tls.certificate_expiry(cert, min_days=14).outcome == Outcome.PASSED


def test_an_expired_certificate_fails(tmp_path: Path) -> None:
    with https_server(tmp_path, days=30) as url:
        cert = fetch_certificate(url, verify=False)
    later = datetime.now(UTC) + timedelta(days=40)
    result = tls.certificate_expiry(cert, min_days=14, now=later)
    assert result.outcome == Outcome.FAILED
    assert "expired" in result.message


def test_a_self_signed_certificate_is_not_trusted(tmp_path: Path) -> None:
    with https_server(tmp_path, days=60) as url:
        cert = fetch_certificate(url, verify=True)
    assert cert.verified is False
    result = tls.certificate_trusted(cert, verify_tls=True)
    assert result.outcome == Outcome.FAILED
    assert "self-signed" in result.message
    assert tls.certificate_trusted(cert, verify_tls=False).outcome == Outcome.SKIPPED


def test_plain_http_and_unreachable_targets() -> None:
    skipped = tls.not_https("http://127.0.0.1:8080")
    assert skipped is not None
    assert skipped.outcome == Outcome.SKIPPED
    assert tls.not_https("https://svc.example.com") is None
    with pytest.raises(CertificateError) as caught:
        fetch_certificate(f"https://127.0.0.1:{free_port()}", verify=False, timeout=2)
    assert caught.value.unreachable
    assert tls.certificate_expiry(caught.value, 14).outcome == Outcome.SKIPPED
