"""Runbook "Security Incident": the https certificate is trusted and not about to expire.

Only https targets are judged; a plain-http target skips these checks. The expiry
check fails under ``[security] tls_min_days`` (14 by default): two weeks is enough
to renew, and an expired certificate is an outage for every client at once.
"""

from __future__ import annotations

from datetime import datetime

from synthcheck.catalog import Category
from synthcheck.probe.certificate import CertificateError, CertificateInfo
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.result import CheckResult

__all__ = ["certificate_expiry", "certificate_trusted", "not_https"]

TLS = Category.TLS


def not_https(base_url: str) -> CheckResult | None:
    """A skip result for plain-http targets, else None."""
    if base_url.lower().startswith("https://"):
        return None
    return CheckResult.skipped(TLS, f"TLS checks apply to https targets; {base_url} is plain http")


def _unreadable(error: CertificateError) -> CheckResult:
    if error.unreachable:
        return CheckResult.skipped(TLS, UNREACHABLE)
    return CheckResult.failed(
        TLS,
        f"no usable TLS certificate: {error}",
        budget="a TLS handshake that presents a certificate",
        observed=str(error),
    )


def certificate_expiry(
    cert: CertificateInfo | CertificateError, min_days: int, now: datetime | None = None
) -> CheckResult:
    if isinstance(cert, CertificateError):
        return _unreadable(cert)
    days = cert.days_left(now)
    expires = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
    where = f"{cert.host}:{cert.port}" + (f" (CN={cert.subject})" if cert.subject else "")
    common = dict(
        endpoint=where,
        budget=f"certificate valid for ≥ {min_days} more days",
        observed=f"expires {expires}, in {days:.1f} days",
        sample_size=1,
        metrics={"days_left": round(days, 2), "min_days": min_days},
    )
    if days < 0:
        return CheckResult.failed(
            TLS, f"the certificate of {where} expired {-days:.1f} days ago ({expires})", **common
        )
    if days < min_days:
        return CheckResult.failed(
            TLS,
            f"the certificate of {where} expires in {days:.1f} days ({expires}),"
            f" under the {min_days}-day minimum: renew it",
            **common,
        )
    return CheckResult.passed(
        TLS, f"the certificate of {where} is valid for {days:.0f} more days", **common
    )


def certificate_trusted(cert: CertificateInfo | CertificateError, verify_tls: bool) -> CheckResult:
    if isinstance(cert, CertificateError):
        return _unreadable(cert)
    if not verify_tls or cert.verified is None:
        return CheckResult.skipped(
            TLS, "TLS verification is off for this environment (http.verify_tls = false)"
        )
    where = f"{cert.host}:{cert.port}"
    common = dict(
        endpoint=where,
        budget="a certificate the system trust store accepts for this host name",
        sample_size=1,
    )
    if cert.verified:
        return CheckResult.passed(
            TLS, f"the certificate of {where} verifies", observed="verified", **common
        )
    return CheckResult.failed(
        TLS,
        f"clients will reject the certificate of {where}: {cert.verify_error}",
        observed=f"verification failed: {cert.verify_error}",
        details=[f"issuer: {cert.issuer or '(no CN)'}", f"subject: {cert.subject or '(no CN)'}"],
        **common,
    )
