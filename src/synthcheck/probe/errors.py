"""Transport failures in plain words: what a person reads in a failing check.

Exception text from httpx, anyio or the OS ("Cancelled via cancel scope 7ff9…",
"[Errno 111] Connect call failed ('127.0.0.1', 9)") never reaches a message: each
failure becomes one stable kind plus a sentence that says what happened and, for a
timeout, after how long and in which phase.
"""

from __future__ import annotations

import errno
import socket
import ssl
from dataclasses import dataclass

import httpx

from synthcheck.probe.exchange import TransportError, TransportErrorKind

__all__ = ["Timeouts", "classify_error", "seconds"]


@dataclass(frozen=True)
class Timeouts:
    """The limits a request ran under, to say which one cut it off."""

    connect_s: float = 2.0
    read_s: float = 5.0
    total_s: float = 10.0


def seconds(value: float) -> str:
    """``10 s``, ``2.5 s``, ``0.25 s``."""
    return f"{value:g} s"


def _chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _tls_reason(chain: list[BaseException]) -> str:
    for exc in chain:
        if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
            return f"TLS handshake failed: {exc.verify_message}"
        if isinstance(exc, ssl.SSLError) and exc.reason:
            return f"TLS handshake failed: {str(exc.reason).replace('_', ' ').lower()}"
    return "TLS handshake failed"


def _network_words(chain: list[BaseException]) -> str:
    for exc in chain:
        if isinstance(exc, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(exc, socket.gaierror):
            return "host name not found"
        if isinstance(exc, ConnectionAbortedError | BrokenPipeError):
            return "connection closed by the server"
        if isinstance(exc, OSError) and exc.strerror:
            return str(exc.strerror).lower()
    return "network error before a complete response"


def classify_error(exc: BaseException, timeouts: Timeouts | None = None) -> TransportError:
    """Map an httpx/asyncio exception to a stable kind plus plain words."""
    limits = timeouts or Timeouts()
    chain = _chain(exc)
    if isinstance(exc, httpx.TooManyRedirects):
        return TransportError(TransportErrorKind.TOO_MANY_REDIRECTS, "too many redirects")
    if isinstance(exc, TimeoutError):
        return TransportError(
            TransportErrorKind.TOTAL_TIMEOUT,
            f"timed out after {seconds(limits.total_s)} (no complete response)",
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return TransportError(
            TransportErrorKind.CONNECT_TIMEOUT,
            f"timed out after {seconds(limits.connect_s)} (connect)",
        )
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
        phase = "write" if isinstance(exc, httpx.WriteTimeout) else "read"
        return TransportError(
            TransportErrorKind.READ_TIMEOUT, f"timed out after {seconds(limits.read_s)} ({phase})"
        )
    if isinstance(exc, httpx.PoolTimeout):
        return TransportError(
            TransportErrorKind.READ_TIMEOUT,
            f"timed out after {seconds(limits.total_s)} (waiting for a free connection)",
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return TransportError(
            TransportErrorKind.PROTOCOL_ERROR,
            "not a valid HTTP response (closed early or not HTTP)",
        )
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, ssl.SSLError) for c in chain):
            return TransportError(TransportErrorKind.TLS_ERROR, _tls_reason(chain))
        if any(
            isinstance(c, ConnectionRefusedError)
            or (isinstance(c, OSError) and c.errno == errno.ECONNREFUSED)
            for c in chain
        ):
            return TransportError(TransportErrorKind.CONNECT_REFUSED, "connection refused")
        return TransportError(TransportErrorKind.NETWORK_ERROR, _network_words(chain))
    return TransportError(TransportErrorKind.NETWORK_ERROR, _network_words(chain))
