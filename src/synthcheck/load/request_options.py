"""The environment's request settings as locust's ``FastHttpUser`` takes them.

The same User-Agent, ``[http] headers`` and TLS files as the checks' probe client, so
load traffic is told apart from real users and reaches a service behind auth or
internal TLS. Proxies are not used for load (geventhttpclient does not read the
proxy variables, and a proxy in the path would measure the proxy).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Sequence

from synthcheck.config import HttpSettings
from synthcheck.probe.tls_context import client_ssl_context

__all__ = ["default_headers", "probe_headers", "ssl_context_factory"]


def default_headers(http: HttpSettings) -> dict[str, str]:
    """The harness's User-Agent, replaced by a configured one (any spelling)."""
    configured = {name.lower() for name in http.headers}
    agent = {} if "user-agent" in configured else {"User-Agent": http.user_agent}
    return {**agent, **http.headers}


def probe_headers(http: HttpSettings, endpoint: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """:func:`default_headers`, then an endpoint's own (case-insensitive: it wins)."""
    merged = {name.lower(): (name, value) for name, value in default_headers(http).items()}
    merged.update({name.lower(): (name, value) for name, value in endpoint})
    return dict(merged.values())


def ssl_context_factory(http: HttpSettings) -> Callable[..., ssl.SSLContext]:
    """geventhttpclient calls this with ``cafile=`` (its default bundle) or nothing."""

    def factory(cafile: str | None = None) -> ssl.SSLContext:
        context = client_ssl_context(http)
        if cafile:
            context.load_verify_locations(cafile=cafile)
        return context

    return factory
