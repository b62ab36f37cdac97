"""Two cross-origin requests: does the service let any site read answers with cookies?

An OPTIONS preflight (``Origin`` + ``Access-Control-Request-Method: GET``) and a GET
with the same foreign ``Origin``, to one API endpoint of the plan. The origin is a
reserved ``.invalid`` name: no real site, so reflecting it means reflecting anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, replace

import httpx

from synthcheck.config import HttpSettings
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.deadline import Deadline
from synthcheck.probe.exchange import Exchange

__all__ = ["PROBE_ORIGIN", "CorsProbe", "cors_target", "probe_cors"]

PROBE_ORIGIN = "https://synthcheck-probe.invalid"


@dataclass(frozen=True)
class CorsProbe:
    target: ProbeTarget | None
    preflight: Exchange | None = None
    simple: Exchange | None = None  # the GET with an Origin
    not_sent: str = ""  # why no probe went out, when one could have

    @property
    def exchanges(self) -> list[Exchange]:
        return [e for e in (self.preflight, self.simple) if e is not None]


def cors_target(plan: ProbePlan, skip_paths: Collection[str] = ()) -> ProbeTarget | None:
    """A GET API endpoint (data first, then health): what a foreign page would fetch.

    Paths in ``skip_paths`` (endpoints that keep timing out) are passed over: the same
    route answers the same CORS headers, and a probe there would only wait.
    """
    for role in ("data", "health", "other", "ready"):
        for target in plan.by_role(role, methods=("GET",)):
            if target.path not in skip_paths:
                return target
    return None


def _bounded(http: HttpSettings, deadline: Deadline | None) -> HttpSettings:
    """The client's timeouts, cut to what is left of the run deadline."""
    if deadline is None:
        return http
    return replace(
        http,
        connect_timeout_s=deadline.limit(http.connect_timeout_s),
        read_timeout_s=deadline.limit(http.read_timeout_s),
        total_timeout_s=deadline.limit(http.total_timeout_s),
    )


async def _send(
    http: HttpSettings,
    target: ProbeTarget,
    base_url: str,
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[Exchange, Exchange]:
    url = target.url(base_url)
    asks = {"Origin": PROBE_ORIGIN, "Access-Control-Request-Method": "GET"}
    preflight = RecordingClient(
        replace(http, headers={**http.headers, **asks}), transport=transport
    )
    simple = RecordingClient(
        replace(http, headers={**http.headers, "Origin": PROBE_ORIGIN}), transport=transport
    )
    try:
        first = await preflight.record(
            target_id=f"OPTIONS {target.path_and_query}", method="OPTIONS", url=url, seq=1
        )
        second = await simple.record(target_id=target.id, method="GET", url=url, seq=2)
    finally:
        await preflight.aclose()
        await simple.aclose()
    return first, second


def probe_cors(
    plan: ProbePlan,
    http: HttpSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    skip_paths: Collection[str] = (),
    deadline: Deadline | None = None,
) -> CorsProbe:
    target = cors_target(plan, skip_paths)
    if target is None:
        return CorsProbe(None)
    if deadline is not None and deadline.limit(1.0) < 1.0:
        return CorsProbe(None, not_sent=f"not sent: {deadline.describe()} came first")
    bounded = _bounded(http, deadline)
    preflight, simple = asyncio.run(_send(bounded, target, plan.base_url, transport))
    return CorsProbe(target, preflight, simple)
