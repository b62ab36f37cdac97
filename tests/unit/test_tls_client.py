"""Internal TLS: ``[http] ca_bundle`` and mTLS client certificates, against a private CA.

The real probe client and certificate check against a loopback HTTPS server whose
certificate a throw-away CA issued (tests/support/tls_server.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from synthcheck.config import ConfigError, HttpSettings
from synthcheck.config.request_sections import request_settings
from synthcheck.probe.certificate import fetch_certificate
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.curl import curl_tls_options
from synthcheck.probe.exchange import Exchange, TransportErrorKind
from synthcheck.probe.tls_context import handshake_contexts
from synthcheck.probe.upstream import upstream_http
from tests.support.tls_server import PrivateCA, https_server


@dataclass(frozen=True)
class Pki:
    ca: PrivateCA
    client_cert: Path
    client_key: Path
    other_cert: Path  # a client certificate from a CA the server does not trust
    other_key: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    root = tmp_path_factory.mktemp("pki")
    ca = PrivateCA.create(root / "ca")
    other = PrivateCA.create(root / "other", name="someone else's CA")
    cert, key = ca.issue("verifier", client=True)
    other_cert, other_key = other.issue("intruder", client=True)
    return Pki(ca, cert, key, other_cert, other_key)


@pytest.fixture
def internal(pki: Pki, tmp_path: Path) -> Iterator[str]:
    with https_server(tmp_path, ca=pki.ca) as url:
        yield url


@pytest.fixture
def mtls(pki: Pki, tmp_path: Path) -> Iterator[str]:
    with https_server(tmp_path, ca=pki.ca, client_ca=pki.ca) as url:
        yield url


def _get(http: HttpSettings, url: str) -> Exchange:
    async def go() -> Exchange:
        client = RecordingClient(http)
        try:
            return await client.record(target_id="GET /", method="GET", url=url + "/", seq=1)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_without_the_bundle_a_private_ca_is_a_tls_error(internal: str) -> None:
    exchange = _get(HttpSettings(), internal)
    assert exchange.status is None
    assert exchange.error is not None
    assert exchange.error.kind is TransportErrorKind.TLS_ERROR
    assert exchange.error.message == "TLS handshake failed: unable to get local issuer certificate"


def test_with_the_bundle_the_private_ca_verifies(internal: str, pki: Pki) -> None:
    for _ in range(3):
        exchange = _get(HttpSettings(ca_bundle=pki.ca.cert), internal)
        assert exchange.error is None
        assert exchange.status == 200


def test_the_bundle_adds_to_the_usual_roots_instead_of_replacing_them(pki: Pki) -> None:
    default = handshake_contexts(HttpSettings())[1].cert_store_stats()["x509_ca"]
    with_bundle = handshake_contexts(HttpSettings(ca_bundle=pki.ca.cert))[1]
    assert with_bundle.cert_store_stats()["x509_ca"] == default + 1


def test_mtls_is_refused_without_a_client_certificate(mtls: str, pki: Pki) -> None:
    exchange = _get(HttpSettings(ca_bundle=pki.ca.cert), mtls)
    assert exchange.status is None
    assert exchange.error is not None
    # TLS 1.3: the server rejects after the client's handshake, as a reset or an alert.
    assert exchange.error.kind in (TransportErrorKind.TLS_ERROR, TransportErrorKind.NETWORK_ERROR)


def test_mtls_is_refused_with_a_certificate_from_another_ca(mtls: str, pki: Pki) -> None:
    http = HttpSettings(ca_bundle=pki.ca.cert, client_cert=pki.other_cert, client_key=pki.other_key)
    assert _get(http, mtls).status is None


def test_mtls_is_accepted_with_the_client_certificate(mtls: str, pki: Pki) -> None:
    http = HttpSettings(
        ca_bundle=pki.ca.cert, client_cert=pki.client_cert, client_key=pki.client_key
    )
    for _ in range(3):
        exchange = _get(http, mtls)
        assert exchange.error is None
        assert exchange.status == 200


def test_the_certificate_check_trusts_the_bundle(internal: str, pki: Pki) -> None:
    without = fetch_certificate(internal, verify=True, contexts=handshake_contexts(HttpSettings()))
    assert without.verified is False
    assert "unable to get local issuer certificate" in without.verify_error
    bundle = handshake_contexts(HttpSettings(ca_bundle=pki.ca.cert))
    assert fetch_certificate(internal, verify=True, contexts=bundle).verified is True


def test_the_certificate_check_presents_the_client_certificate(mtls: str, pki: Pki) -> None:
    http = HttpSettings(
        ca_bundle=pki.ca.cert, client_cert=pki.client_cert, client_key=pki.client_key
    )
    info = fetch_certificate(mtls, verify=True, contexts=handshake_contexts(http))
    assert info.verified is True
    assert info.issuer == "synthcheck test CA"


def test_the_upstream_probe_keeps_the_bundle_but_never_the_client_certificate(pki: Pki) -> None:
    http = HttpSettings(
        ca_bundle=pki.ca.cert,
        client_cert=pki.client_cert,
        client_key=pki.client_key,
        headers={"Authorization": "Bearer app-token-1234"},
        user_agent="synthcheck/0.1.0 (+synthetic check; env=internal)",
    )
    upstream = upstream_http(http, 3)
    assert upstream.ca_bundle == pki.ca.cert
    assert upstream.user_agent == http.user_agent
    assert (upstream.client_cert, upstream.client_key, dict(upstream.headers)) == (None, None, {})


def test_curl_reproductions_name_the_tls_files(pki: Pki) -> None:
    http = HttpSettings(
        ca_bundle=pki.ca.cert, client_cert=pki.client_cert, client_key=pki.client_key
    )
    assert curl_tls_options(http) == [
        "--cacert", str(pki.ca.cert), "--cert", str(pki.client_cert), "--key", str(pki.client_key)
    ]  # fmt: skip
    assert curl_tls_options(HttpSettings(verify_tls=False)) == ["-k"]


# -- config: paths relative to the environment file, checked at load time (exit 2) ----


def _load(raw: Mapping[str, object], base: Path) -> HttpSettings:
    return request_settings(raw, "internal", base, str(base / "env.toml"), {}).http


def test_tls_paths_are_relative_to_the_environment_file(pki: Pki) -> None:
    base = pki.ca.directory.parent
    http = _load({"ca_bundle": "ca/ca.pem"}, base)
    assert http.ca_bundle == pki.ca.cert.resolve()


def test_a_missing_ca_bundle_names_the_field_and_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _load({"ca_bundle": "certs/internal-ca.pem"}, tmp_path)
    assert caught.value.source == str(tmp_path / "env.toml")
    assert caught.value.problems == [
        f"http.ca_bundle: file 'certs/internal-ca.pem' not found"
        f" (looked at {tmp_path / 'certs' / 'internal-ca.pem'})"
    ]


def test_a_ca_bundle_that_is_not_pem_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    with pytest.raises(ConfigError, match=r"http\.ca_bundle: .* holds no PEM CA certificate"):
        _load({"ca_bundle": "ca.pem"}, tmp_path)


def test_a_client_certificate_needs_its_key(pki: Pki) -> None:
    with pytest.raises(ConfigError) as caught:
        _load({"client_cert": str(pki.client_cert)}, pki.ca.directory)
    assert caught.value.problems == [
        "http.client_cert: set both client_cert and client_key (mTLS), or neither"
    ]


def test_a_client_key_that_does_not_match_is_a_config_error(pki: Pki) -> None:
    raw = {"client_cert": str(pki.client_cert), "client_key": str(pki.other_key)}
    with pytest.raises(ConfigError, match=r"http\.client_cert: .* not a PEM certificate and its"):
        _load(raw, pki.ca.directory)
