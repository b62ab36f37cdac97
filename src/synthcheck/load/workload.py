"""Environment → what a load run sends and what it is judged against.

One source of truth: the endpoints, weights, expected statuses, schemas and budgets
are the environment file's, read by the same loader the checks use. Only endpoints
whose ``suites`` include ``load`` (the default) and whose ``weight`` is above 0 take
part. Every query variant of an endpoint (``series = [...]``) lands in one locust
row named by its path, so the statistics stay one line per endpoint.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synthcheck.config.errors import ConfigError
from synthcheck.config.load_flags import LoadFlags
from synthcheck.config.loader import builtin_schema
from synthcheck.config.model import Endpoint, Environment
from synthcheck.load.expect import ResponseExpectation
from synthcheck.load.profiles import Profile, resolve_profile
from synthcheck.load.thresholds import RowBudget, Thresholds
from synthcheck.plan import expand_endpoint

__all__ = [
    "LoadRequest",
    "Workload",
    "build_workload",
    "integer_weights",
    "profile_name",
]


@dataclass(frozen=True)
class LoadRequest:
    method: str
    name: str  # the locust row: the endpoint's path, all query variants together
    paths: tuple[str, ...]  # path and query of each variant, sent in turn
    weight: int
    expect: ResponseExpectation
    # The endpoint's own headers (over [http] headers); may hold secrets: never in a repr.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        return f"{self.method} {self.name}"


@dataclass(frozen=True)
class Workload:
    requests: tuple[LoadRequest, ...]
    profile: Profile
    thresholds: Thresholds

    @property
    def weights(self) -> str:
        total = sum(r.weight for r in self.requests)
        return ", ".join(f"{r.key} {r.weight / total:.0%}" for r in self.requests)


def integer_weights(weights: Sequence[float]) -> list[int]:
    """locust wants whole-number task weights: scale ``[1, 0.5]`` to ``[2, 1]``."""
    scale = 1
    while scale < 1000 and any(abs(w * scale - round(w * scale)) > 1e-9 for w in weights):
        scale *= 10
    whole = [max(1, round(w * scale)) for w in weights]
    divisor = math.gcd(*whole)
    return [w // divisor for w in whole]


def _expectation(endpoint: Endpoint) -> ResponseExpectation:
    statuses = frozenset(endpoint.expect_status)
    if endpoint.method == "HEAD":
        return ResponseExpectation(statuses)
    media = (endpoint.content_type or "").split(";", 1)[0].strip().lower() or None
    schema = endpoint.schema
    if schema is None and endpoint.role == "health":
        schema = builtin_schema("health")  # what the health checks hold it to
    json_body = schema is not None or endpoint.role == "data" or "json" in (media or "")
    return ResponseExpectation(statuses, content_type=media, json_body=json_body, schema=schema)


def _load_endpoints(env: Environment) -> list[Endpoint]:
    chosen = [ep for ep in env.endpoints if "load" in ep.suites and ep.weight > 0]
    if not chosen:
        raise ConfigError(
            str(env.source),
            [
                "no endpoint takes part in load tests: give at least one endpoint"
                ' suites = [..., "load"] (the default) and a weight above 0'
            ],
        )
    return chosen


def _requests(env: Environment) -> tuple[LoadRequest, ...]:
    endpoints = _load_endpoints(env)
    shared = Counter((ep.method, ep.path) for ep in endpoints)
    weights = integer_weights([ep.weight for ep in endpoints])
    return tuple(
        LoadRequest(
            method=ep.method,
            # Two endpoints on one path (different params) keep separate rows.
            name=ep.path if shared[(ep.method, ep.path)] == 1 else f"{ep.path} ({ep.name})",
            paths=tuple(t.path_and_query for t in expand_endpoint(ep)),
            weight=weight,
            expect=_expectation(ep),
            headers=ep.headers,
        )
        for ep, weight in zip(endpoints, weights, strict=True)
    )


def _thresholds(env: Environment, cli_budgets: Mapping[str, float | int]) -> Thresholds:
    """Command line (``--budget``) > ``[load]`` > the endpoint's budgets > ``[budgets]``."""
    load = env.load

    def pick(name: str, from_load: float | None, from_budgets: float) -> float:
        if name in cli_budgets:
            return float(cli_budgets[name])
        return from_load if from_load is not None else from_budgets

    def budget(source: Endpoint | Environment) -> RowBudget:
        b = source.budgets
        return RowBudget(
            error_rate=pick("error_rate", load.error_rate, b.error_rate),
            p95_ms=pick("p95_ms", load.p95_ms, b.p95_ms),
            p99_ms=pick("p99_ms", load.p99_ms, b.p99_ms or b.p95_critical_ms),
        )

    pairs = zip(_requests(env), _load_endpoints(env), strict=True)
    rows = {request.key: budget(ep) for request, ep in pairs}
    return Thresholds(
        overall=budget(env), rows=rows, min_rps=load.min_rps, min_requests=load.min_requests
    )


def profile_name(env: Environment, flags: LoadFlags, *, smoke_only: bool = False) -> str:
    """``--smoke-load`` in the post-deploy run is always the smoke profile."""
    return "smoke" if smoke_only else (flags.profile or env.load.profile)


def build_workload(
    env: Environment,
    flags: LoadFlags,
    cli_budgets: Mapping[str, float | int],
    *,
    smoke_only: bool = False,
) -> Workload:
    profile = resolve_profile(
        profile_name(env, flags, smoke_only=smoke_only),
        env.load,
        users=flags.users,
        duration_s=flags.duration_s,
        source=str(env.source),
    )
    return Workload(_requests(env), profile, _thresholds(env, cli_budgets))
