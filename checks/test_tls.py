"""Runbook "Security Incident": the https certificate is trusted and not about to expire.

Plain-http targets skip these checks. Expiry fails under ``[security] tls_min_days``.
"""

import shlex
from urllib.parse import urlsplit

import pytest

from synthcheck.probe.certificate import CertificateError, CertificateInfo, fetch_certificate
from synthcheck.probe.tls_context import handshake_contexts
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, tls

pytestmark = [
    pytest.mark.category("tls"),
    pytest.mark.usefixtures("require_reachable"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


@pytest.fixture(scope="module")
def certificate(run: VerificationRun) -> CertificateInfo | CertificateError | None:
    if tls.not_https(run.base_url) is not None:
        return None
    http = run.env.http
    try:
        return fetch_certificate(
            run.base_url,
            verify=http.verify_tls,
            timeout=http.total_timeout_s,
            contexts=handshake_contexts(http),  # [http] ca_bundle, client_cert
        )
    except CertificateError as exc:
        return exc


def _reproduce(run: VerificationRun) -> str:
    parts = urlsplit(run.base_url)
    host, port = parts.hostname, parts.port or 443
    http = run.env.http
    files = [("-CAfile", http.ca_bundle), ("-cert", http.client_cert), ("-key", http.client_key)]
    extra = "".join(f" {flag} {shlex.quote(str(path))}" for flag, path in files if path)
    return (
        f"openssl s_client -connect {host}:{port} -servername {host}{extra}"
        " </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates"
    )


def _record(run: VerificationRun, verdict: Verdict, result: CheckResult) -> None:
    result.reproduce = _reproduce(run)
    verdict(result)


def test_certificate_expiry(
    run: VerificationRun, verdict: Verdict, certificate: CertificateInfo | CertificateError | None
) -> None:
    if certificate is None:
        verdict(tls.not_https(run.base_url) or CheckResult.skipped(tls.TLS, "not https"))
        return
    _record(run, verdict, tls.certificate_expiry(certificate, run.env.security.tls_min_days))


def test_certificate_trusted(
    run: VerificationRun, verdict: Verdict, certificate: CertificateInfo | CertificateError | None
) -> None:
    if certificate is None:
        verdict(tls.not_https(run.base_url) or CheckResult.skipped(tls.TLS, "not https"))
        return
    _record(run, verdict, tls.certificate_trusted(certificate, run.env.http.verify_tls))
