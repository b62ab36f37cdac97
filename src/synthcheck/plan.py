"""Probe plan: which requests a run sends, how many, and how fast.

Built from the environment and the suite; the recorder executes it and the checks
read what it recorded. An endpoint with list-valued params (``series = ["UNRATE",
"GDPC1"]``) becomes one target per value, each judged on its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from synthcheck.config import Endpoint, Environment

__all__ = ["ProbePlan", "ProbeTarget", "build_plan", "expand_endpoint"]


@dataclass(frozen=True)
class ProbeTarget:
    endpoint: Endpoint
    query: tuple[tuple[str, str], ...] = ()
    method_override: str | None = None

    @property
    def method(self) -> str:
        return self.method_override or self.endpoint.method

    @property
    def role(self) -> str:
        return self.endpoint.role

    @property
    def path(self) -> str:
        return self.endpoint.path

    @property
    def path_and_query(self) -> str:
        return f"{self.path}?{urlencode(self.query)}" if self.query else self.path

    @property
    def id(self) -> str:
        """Human-readable and stable: ``GET /api/fred-data?series=UNRATE``."""
        return f"{self.method} {self.path_and_query}"

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + self.path_and_query


def expand_endpoint(endpoint: Endpoint) -> list[ProbeTarget]:
    if not endpoint.params:
        return [ProbeTarget(endpoint)]
    keys = [key for key, _ in endpoint.params]
    combos = itertools.product(*(values for _, values in endpoint.params))
    return [ProbeTarget(endpoint, tuple(zip(keys, combo, strict=True))) for combo in combos]


@dataclass(frozen=True)
class ProbePlan:
    base_url: str
    suite: str
    targets: tuple[ProbeTarget, ...]
    samples: int
    warmup: int
    concurrency: int
    max_rps: float

    def by_role(self, *roles: str, methods: tuple[str, ...] | None = None) -> list[ProbeTarget]:
        return [
            t for t in self.targets if t.role in roles and (methods is None or t.method in methods)
        ]

    @property
    def preflight_target(self) -> ProbeTarget:
        """The cheapest endpoint that proves the service answers HTTP at all."""
        for role in ("live", "health", "ready"):
            for target in self.by_role(role, methods=("GET", "HEAD")):
                return target
        return self.targets[0]


def build_plan(env: Environment, suite: str, base_url: str | None = None) -> ProbePlan:
    settings = env.suite(suite)
    endpoints = [ep for ep in env.endpoints if suite in ep.suites] or list(env.endpoints)
    targets = tuple(t for ep in endpoints for t in expand_endpoint(ep))
    return ProbePlan(
        base_url=(base_url or env.base_url).rstrip("/"),
        suite=suite,
        targets=targets,
        samples=settings.samples,
        warmup=settings.warmup,
        concurrency=env.http.concurrency,
        max_rps=env.http.max_rps,
    )
