"""The TLS context every probe uses: the system's CAs plus ``[http] ca_bundle``, and mTLS.

A configured CA bundle is trusted *in addition to* the usual roots (certifi, as httpx
uses by default): an internal CA is added, public certificates keep verifying. With
``verify_tls = false`` nothing is verified, but a configured client certificate is
still presented (a server that requires mTLS refuses a client without one).
"""

from __future__ import annotations

import ssl

import certifi

from synthcheck.config import HttpSettings

__all__ = ["client_ssl_context", "handshake_contexts"]


def client_ssl_context(settings: HttpSettings, *, verify: bool | None = None) -> ssl.SSLContext:
    """An ``SSLContext`` for ``settings``; ``verify`` overrides ``settings.verify_tls``."""
    check = settings.verify_tls if verify is None else verify
    context = ssl.create_default_context(cafile=certifi.where())
    # The loader has loaded these files once (config/request_sections.py): bad PEM is exit 2.
    _with_files(context, settings)
    if not check:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _with_files(context: ssl.SSLContext, settings: HttpSettings) -> ssl.SSLContext:
    if settings.ca_bundle is not None:
        context.load_verify_locations(cafile=str(settings.ca_bundle))
    if settings.client_cert is not None and settings.client_key is not None:
        context.load_cert_chain(str(settings.client_cert), str(settings.client_key))
    return context


def handshake_contexts(settings: HttpSettings) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(read, verify) contexts for the certificate check: the system's CAs (what clients
    of the service trust) plus ``ca_bundle``; the client certificate in both."""
    read = _with_files(ssl.create_default_context(), settings)
    read.check_hostname = False
    read.verify_mode = ssl.CERT_NONE
    return read, _with_files(ssl.create_default_context(), settings)
