"""What ``synthcheck init`` proposes from a discovery, and the report it prints.

``derive`` decides the facts (per role: the answer chosen, its P95, the schema
inferred from its bodies, its budgets, the secrets it echoed; the timeouts and the
roles already slower than the runbook); ``environment_of`` makes the environment
document of them and ``report_lines`` the lines printed. ``build`` is the three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synthcheck.config import DEFAULT_SECRET_ENV
from synthcheck.init.discover import Found, describe_answer
from synthcheck.init.propose import (
    LIVE_BUDGETS,
    RUNBOOK_BUDGETS,
    EndpointProposal,
    Timeouts,
    nearest_rank,
    propose_environment,
    propose_timeouts,
)
from synthcheck.init.schemas import infer_schema
from synthcheck.init.survey import Discovery, is_json_answer
from synthcheck.probe import Exchange

__all__ = ["InitFacts", "RoleFacts", "build", "derive", "environment_of", "report_lines"]

ROLES = ("health", "ready", "live", "data")
_SPECIFIC_FORMATS = ("runbook", "ietf", "actuator", "aspnet", "kubernetes")


@dataclass(frozen=True)
class RoleFacts:
    """One role (health, ready, live, data): found or not, and what init makes of it."""

    role: str
    found: Found | None
    misses: tuple[str, ...] = ()  # the paths tried in vain, with why
    p95: float | None = None
    leaked: tuple[str, ...] = ()  # names of the secrets whose value an answer holds
    schema: str = ""  # "schemas/NAME.ROLE.schema.json", "builtin:health" or ""
    schema_doc: dict[str, Any] | None = None
    budgets: dict[str, int] | None = None  # live's own budgets, when it is fast enough

    @property
    def measured(self) -> int:
        return len(self.found.latencies_ms()) if self.found else 0


@dataclass(frozen=True)
class InitFacts:
    name: str
    base_url: str
    roles: tuple[RoleFacts, ...]  # in ROLES order
    timeouts: Timeouts
    max_p95: float  # the slowest role's P95 (0 when none was measured)
    over_runbook: tuple[tuple[str, int | float, float], ...]  # (role, runbook limit, P95)
    health_format: str  # a specific health format to declare, else ""


def _p95(found: Found) -> float | None:
    latencies = found.latencies_ms()
    return nearest_rank(latencies, 0.95) if latencies else None


def _non_json_type(exchange: Exchange) -> str:
    kind = exchange.content_type
    return "" if not kind or kind.endswith("json") else kind


def _role(
    role: str, name: str, base_url: str, result: Discovery, secrets: Mapping[str, str]
) -> RoleFacts:
    found = result.found.get(role)
    misses = tuple(result.misses.get(role, []))
    if found is None:
        return RoleFacts(role, None, misses)
    p95 = _p95(found)
    leaked = tuple(n for n, v in secrets.items() if any(v in e.text for e in found.exchanges))
    bodies = [e.json() for e in found.exchanges if is_json_answer(e)]
    schema, schema_doc = "", None
    if bodies:
        schema = f"schemas/{name}.{role}.schema.json"
        title = f"{role} answer of {base_url} (GET {found.path.split('?')[0]})"
        schema_doc = infer_schema(bodies, title, list(secrets.values()))
    elif role == "health":
        schema = "builtin:health"
    budgets = None
    if role == "live" and p95 is not None and p95 < LIVE_BUDGETS["p95_ms"] / 2:
        budgets = dict(LIVE_BUDGETS)
    return RoleFacts(role, found, misses, p95, leaked, schema, schema_doc, budgets)


def derive(name: str, base_url: str, result: Discovery, secrets: Mapping[str, str]) -> InitFacts:
    roles = tuple(_role(role, name, base_url, result, secrets) for role in ROLES)
    p95s = [r.p95 for r in roles if r.p95 is not None]
    health = roles[0].found
    over: list[tuple[str, int | float, float]] = []
    for role, found in result.found.items():
        p95 = _p95(found)
        limit = RUNBOOK_BUDGETS["liveness_ms"] if role == "live" else RUNBOOK_BUDGETS["p95_ms"]
        if p95 is not None and p95 > limit:
            over.append((role, limit, p95))
    return InitFacts(
        name=name,
        base_url=base_url,
        roles=roles,
        timeouts=propose_timeouts(max(p95s) if p95s else None),
        max_p95=max(p95s, default=0),
        over_runbook=tuple(over),
        health_format=health.format
        if health is not None and health.format in _SPECIFIC_FORMATS
        else "",
    )


def environment_of(facts: InitFacts) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The environment document and its schemas (by relative path)."""
    proposals = [
        EndpointProposal(
            role=r.role,
            path=r.found.path.split("?")[0],
            params=r.found.params,
            schema=r.schema,
            content_type="" if r.role == "health" else _non_json_type(r.found.first),
            budgets=r.budgets,
        )
        for r in facts.roles
        if r.found is not None
    ]
    doc = propose_environment(
        name=facts.name,
        base_url=facts.base_url,
        endpoints=proposals,
        timeouts=facts.timeouts,
        health_format=facts.health_format,
        secret_env=DEFAULT_SECRET_ENV,
    )
    schemas = {r.schema: r.schema_doc for r in facts.roles if r.schema_doc is not None}
    return doc, schemas


def _role_lines(r: RoleFacts) -> list[str]:
    if r.found is None:
        return [f"  {r.role:<6}  not found", *[f"          tried {miss}" for miss in r.misses]]
    first = r.found.first
    timing = f"P95 {r.p95:.0f} ms (n={r.measured})" if r.p95 is not None else "no latency measured"
    lines = [f"  {r.role:<6}  GET {r.found.path}: {describe_answer(first)}; {timing}"]
    lines += [f"          its answer holds the value of ${n}: not copied" for n in r.leaked]
    if first.status is not None and first.status >= 300:
        lines.append(f"          it answered {first.status}: the service reports a failure now")
    if r.role == "live" and r.budgets is None:
        lines.append("          live is too slow for a 100 ms budget: the global one applies")
    return lines


def report_lines(facts: InitFacts) -> list[str]:
    """What init prints about the service, one role after the other."""
    lines = [line for r in facts.roles for line in _role_lines(r)]
    t = facts.timeouts
    lines.append(
        f"  timeouts  connect {t.connect_s:g} s, read {t.read_s:g} s,"
        f" total {t.total_s:g} s (observed P95 {facts.max_p95:.0f} ms)"
    )
    lines += [
        f"  note: {role} already answers above the runbook's {limit} ms"
        f" (P95 {p95:.0f} ms): the verification will fail on latency"
        for role, limit, p95 in facts.over_runbook
    ]
    return lines


def build(
    name: str, base_url: str, result: Discovery, secrets: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    """The environment document, its schemas (by relative path) and report lines."""
    facts = derive(name, base_url, result, secrets)
    doc, schemas = environment_of(facts)
    return doc, schemas, report_lines(facts)
