"""One recorded request/response pair, or the transport error instead of a response."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

__all__ = ["TIMEOUT_KINDS", "Exchange", "RedirectHop", "TransportError", "TransportErrorKind"]


class TransportErrorKind(StrEnum):
    CONNECT_REFUSED = "connect_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    TOTAL_TIMEOUT = "total_timeout"
    PROTOCOL_ERROR = "protocol_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TLS_ERROR = "tls_error"
    NETWORK_ERROR = "network_error"

    @property
    def words(self) -> str:
        """Short plain words for tallies: ``3x timeout (read), 1x connection refused``."""
        return _WORDS[self]


_WORDS = {
    TransportErrorKind.CONNECT_REFUSED: "connection refused",
    TransportErrorKind.CONNECT_TIMEOUT: "connect timeout",
    TransportErrorKind.READ_TIMEOUT: "timeout (read)",
    TransportErrorKind.TOTAL_TIMEOUT: "timeout (total)",
    TransportErrorKind.PROTOCOL_ERROR: "invalid HTTP",
    TransportErrorKind.TOO_MANY_REDIRECTS: "too many redirects",
    TransportErrorKind.TLS_ERROR: "TLS error",
    TransportErrorKind.NETWORK_ERROR: "network error",
}


# A request cut off while the service was working on it: a latency sample "at least
# T" (censored), not an absent service. A connect timeout is not in it: nothing
# accepted the connection, which says nothing about how slow the service is.
TIMEOUT_KINDS = frozenset({TransportErrorKind.READ_TIMEOUT, TransportErrorKind.TOTAL_TIMEOUT})


@dataclass(frozen=True)
class TransportError:
    """What went wrong instead of a response. ``message`` is plain words for people
    ("timed out after 10 s (read)", "connection refused"), never exception text."""

    kind: TransportErrorKind
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RedirectHop:
    status: int
    url: str
    location: str
    headers: tuple[tuple[str, str], ...]


@dataclass
class Exchange:
    """What one request observed. Bodies are capped; timings use a monotonic clock."""

    target_id: str
    method: str
    url: str
    seq: int  # order in the run, for timelines
    started_at: float  # wall clock (epoch seconds), for reports only
    started_mono: float  # monotonic clock, for durations between exchanges
    warmup: bool = False
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_truncated: bool = False
    size: int | None = None  # bytes read, or Content-Length when the body was cut off
    ttfb_ms: float | None = None  # request start → response headers (includes connect)
    server_ms: float | None = None  # request sent → response headers (httpx trace)
    total_ms: float | None = None  # request start → body read (or error)
    connect_ms: float | None = None
    redirects: tuple[RedirectHop, ...] = ()
    error: TransportError | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        """The target spoke HTTP back (any status), even if the exchange then failed."""
        return self.status is not None or bool(self.redirects)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None

    @property
    def timed_out(self) -> bool:
        """Cut off by a read or total timeout while waiting for (the rest of) a response."""
        return self.error is not None and self.error.kind in TIMEOUT_KINDS

    @property
    def censored_ms(self) -> float | None:
        """For a timed-out request, the time it was cut off after (its latency is at
        least this); None otherwise. Shared by the latency and error-rate verdicts."""
        if not self.timed_out:
            return None
        return self.total_ms

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @cached_property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @cached_property
    def json_result(self) -> tuple[bool, Any, str]:
        """(parsed?, value, why not) — parse once, reuse in every check."""
        if self.body_truncated:
            return False, None, f"body cut off at {len(self.body)} bytes"
        if not self.body:
            return False, None, "empty body"
        try:
            return True, json.loads(self.body), ""
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return False, None, f"not JSON: {exc}"

    def json(self) -> Any:
        parsed, value, _ = self.json_result
        return value if parsed else None

    def describe(self) -> str:
        """``200 in 12.3 ms`` or ``timed out after 10 s (read)``: for messages."""
        timing = f"{self.total_ms:.1f} ms" if self.total_ms is not None else "?"
        if self.error is not None:
            prefix = f"{self.status} then " if self.status is not None else ""
            return f"{prefix}{self.error.message}"
        return f"{self.status} in {timing}"
