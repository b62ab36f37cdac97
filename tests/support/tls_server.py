"""A loopback HTTPS server (self-signed or from a private CA, optionally mTLS), for TLS tests."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

OPENSSL = shutil.which("openssl")


def make_certificate(directory: Path, days: int, name: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed EC certificate valid for ``days`` days: (cert.pem, key.pem)."""
    if OPENSSL is None:
        pytest.skip("the openssl binary is needed to make a test certificate")
    cert, key = directory / f"cert-{days}.pem", directory / f"key-{days}.pem"
    subprocess.run(
        [
            OPENSSL,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            str(days),
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=IP:{name}",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _openssl(*args: str) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], check=True, capture_output=True)


_EC = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")


@dataclass(frozen=True)
class PrivateCA:
    """A throw-away certificate authority: the ``ca_bundle`` of an internal TLS setup."""

    directory: Path
    cert: Path
    key: Path

    @classmethod
    def create(cls, directory: Path, name: str = "synthcheck test CA") -> PrivateCA:
        if OPENSSL is None:
            pytest.skip("the openssl binary is needed to make a test certificate authority")
        directory.mkdir(parents=True, exist_ok=True)
        cert, key = directory / "ca.pem", directory / "ca-key.pem"
        _openssl(
            "req", "-x509", *_EC, "-keyout", str(key), "-out", str(cert), "-days", "30",
            "-subj", f"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        )  # fmt: skip
        return cls(directory, cert, key)

    def issue(self, name: str, *, client: bool = False, days: int = 30) -> tuple[Path, Path]:
        """A certificate signed by this CA: for a server named ``name`` (IP or DNS), or a client."""
        stem = self.directory / f"{'client' if client else 'server'}-{name}"
        cert, key, csr = (stem.with_suffix(s) for s in (".pem", ".key", ".csr"))
        extensions = stem.with_suffix(".ext")
        usage = "clientAuth" if client else "serverAuth"
        kind = "IP" if name.replace(".", "").isdigit() else "DNS"
        alt = "" if client else f"subjectAltName={kind}:{name}\n"
        extensions.write_text(
            f"{alt}extendedKeyUsage={usage}\nkeyUsage=critical,digitalSignature\n"
            "basicConstraints=CA:FALSE\nsubjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid,issuer\n"
        )
        _openssl("req", *_EC, "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={name}")
        _openssl(
            "x509", "-req", "-in", str(csr), "-CA", str(self.cert), "-CAkey", str(self.key),
            "-CAcreateserial", "-out", str(cert), "-days", str(days),
            "-extfile", str(extensions),
        )  # fmt: skip
        return cert, key


class _Quiet(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []  # request headers, newest last

    def do_GET(self) -> None:
        type(self).seen.append(dict(self.headers.items()))
        body = b'{"status":"healthy"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def https_server(
    directory: Path,
    days: int = 30,
    *,
    ca: PrivateCA | None = None,
    client_ca: PrivateCA | None = None,
    seen: list[dict[str, str]] | None = None,
    server_name: str = "127.0.0.1",
) -> Iterator[str]:
    """Serve HTTPS on a free loopback port with a certificate valid ``days`` days.

    Self-signed, or issued by ``ca``; with ``client_ca`` the server requires a client
    certificate issued by it (mTLS). ``seen`` collects the request headers it received.
    """
    cert, key = ca.issue(server_name, days=days) if ca else make_certificate(directory, days)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=str(client_ca.cert))
    handler = type("Handler", (_Quiet,), {"seen": seen if seen is not None else []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
