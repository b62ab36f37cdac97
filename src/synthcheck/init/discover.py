"""Find a running service's health, ready and live paths: GET only, bounded.

Every request is a GET with a timeout, and a run sends at most ``max_requests`` of
them. Each role tries the common paths of the frameworks in order (the runbook's
``/api/...`` first, then Kubernetes, Spring Boot Actuator, the usual others) and
takes the first that answers like a health endpoint: 2xx with a body that is not an
HTML page, or 500/503 with a body the health parsers read (a service that says it is
unhealthy right now still has its health path there). The format of each answer is
detected by the project's own parsers (verdicts/health_formats.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from synthcheck.config import HealthSettings, HttpSettings
from synthcheck.probe import Exchange, RecordingClient
from synthcheck.verdicts.health_formats import detect, parse_answer

__all__ = [
    "CANDIDATES",
    "Found",
    "Prober",
    "accepts",
    "describe_answer",
]

CANDIDATES: dict[str, tuple[str, ...]] = {
    "health": (
        "/api/health",
        "/health",
        "/healthz",
        "/actuator/health",
        "/api/healthz",
        "/health/status",
        "/status",
        "/api/status",
        "/ping",
    ),
    "ready": (
        "/api/ready",
        "/ready",
        "/readyz",
        "/health/ready",
        "/actuator/health/readiness",
        "/healthz/ready",
        "/api/readyz",
    ),
    "live": (
        "/api/live",
        "/live",
        "/livez",
        "/health/live",
        "/actuator/health/liveness",
        "/healthz/live",
        "/api/livez",
        "/ping",
    ),
}

# A path no service serves: a 2xx there means a catch-all route answers everything.
UNKNOWN_PATH = "/synthcheck-init-no-such-path"

DISCOVERY_HTTP = HttpSettings(
    connect_timeout_s=2.0,
    read_timeout_s=3.0,
    total_timeout_s=5.0,
    max_body_bytes=1_048_576,
    max_redirects=3,
    concurrency=1,
)
_UNHEALTHY_CODES = (500, 503)


@dataclass
class Found:
    """One endpoint ``init`` chose, with every answer it got from it."""

    role: str
    path: str  # with its query string, as requested
    exchanges: list[Exchange] = field(default_factory=list)
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def first(self) -> Exchange:
        return self.exchanges[0]

    @property
    def format(self) -> str:
        return detect(self.first)

    def latencies_ms(self) -> list[float]:
        return [e.total_ms for e in self.exchanges if e.ok and e.total_ms is not None]


class Prober:
    """GET-only requests against one base URL, at most ``max_requests`` in all."""

    def __init__(
        self,
        base_url: str,
        *,
        max_requests: int = 60,
        settings: HttpSettings = DISCOVERY_HTTP,
        client: RecordingClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_requests = max_requests
        self.client = client or RecordingClient(settings)
        self.sent = 0
        self.answered = 0
        self.log: list[str] = []

    @property
    def exhausted(self) -> bool:
        return self.sent >= self.max_requests

    async def get(self, path: str) -> Exchange | None:
        """One GET, or None when the request budget is spent."""
        if self.exhausted:
            return None
        self.sent += 1
        exchange = await self.client.record(
            target_id=f"init {path}", method="GET", url=self.base_url + path, seq=self.sent
        )
        if exchange.answered:
            self.answered += 1
        return exchange

    async def aclose(self) -> None:
        await self.client.aclose()


def accepts(exchange: Exchange, *, catch_all: bool = False) -> tuple[bool, str]:
    """Whether one answer looks like a health/ready/live endpoint, and why not."""
    if exchange.status is None:
        return False, exchange.error.message if exchange.error else "no answer"
    fmt = detect(exchange)
    if fmt == "html":
        return False, f"HTTP {exchange.status} with an HTML page (a catch-all route)"
    if exchange.status in (401, 403):
        return False, f"HTTP {exchange.status}: needs credentials"
    if 200 <= exchange.status < 300:
        if catch_all and not parse_answer(exchange, HealthSettings()).recognized:
            return False, f"HTTP {exchange.status}, but the service answers 2xx to any path"
        return True, ""
    if exchange.status in _UNHEALTHY_CODES and parse_answer(exchange, HealthSettings()).recognized:
        return True, ""
    return False, f"HTTP {exchange.status}"


def describe_answer(exchange: Exchange) -> str:
    """``200 application/json, actuator (status UP; 2 components)`` for the report."""
    answer = parse_answer(exchange, HealthSettings())
    kind = exchange.content_type or "no Content-Type"
    parts = [f"{exchange.status} {kind}", f"format {detect(exchange)}"]
    details = []
    if answer.raw_status:
        details.append(answer.raw_status)
    if answer.components:
        details.append(f"{len(answer.components)} components")
    text = ", ".join(parts)
    return f"{text} ({'; '.join(details)})" if details else text


async def find_role(
    prober: Prober, role: str, paths: Sequence[str], *, catch_all: bool, taken: set[str]
) -> tuple[Found | None, list[str]]:
    """The first of ``paths`` that answers like a ``role`` endpoint; the misses, described."""
    misses: list[str] = []
    for path in paths:
        if path in taken:
            continue
        exchange = await prober.get(path)
        if exchange is None:
            misses.append(f"{path}: not tried (request cap of {prober.max_requests} reached)")
            break
        ok, why = accepts(exchange, catch_all=catch_all)
        if ok:
            return Found(role, path, [exchange]), misses
        misses.append(f"{path}: {why}")
    return None, misses


async def sample(prober: Prober, found: Found, count: int) -> None:
    """``count`` more GETs of a chosen endpoint: its first latency figures."""
    for _ in range(count):
        exchange = await prober.get(found.path)
        if exchange is None:
            return
        found.exchanges.append(exchange)
