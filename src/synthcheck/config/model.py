"""The validated environment: what to probe, how hard, and against which budgets.

Defaults here are the runbook's numbers (P95 500 ms, critical 1000 ms, errors 5 %,
memory 80 %); an environment file overrides them field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "SUITES",
    "Budgets",
    "Endpoint",
    "Environment",
    "HealthSettings",
    "HttpSettings",
    "Role",
    "SuiteSettings",
]

Role = Literal["health", "ready", "live", "data", "page", "other"]
SUITES: tuple[str, ...] = ("predeploy", "postdeploy", "canary", "load")


@dataclass(frozen=True)
class Budgets:
    p50_ms: float | None = None
    p95_ms: float = 500.0
    p95_critical_ms: float = 1000.0
    p99_ms: float | None = None
    error_rate: float = 0.05
    memory_percent: float = 80.0
    liveness_ms: float = 250.0
    response_bytes: int = 1_048_576

    def merged(self, overrides: Mapping[str, Any]) -> Budgets:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in overrides.items() if k in known})


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    total_timeout_s: float = 10.0
    max_body_bytes: int = 1_048_576
    max_redirects: int = 3
    concurrency: int = 4
    max_rps: float = 50.0
    verify_tls: bool = True
    preflight_attempts: int = 3
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SuiteSettings:
    samples: int
    warmup: int


DEFAULT_SUITES: dict[str, SuiteSettings] = {
    "predeploy": SuiteSettings(samples=5, warmup=1),
    "postdeploy": SuiteSettings(samples=20, warmup=2),
    "canary": SuiteSettings(samples=5, warmup=0),
    "load": SuiteSettings(samples=5, warmup=1),
}


@dataclass(frozen=True)
class HealthSettings:
    status_field: str = "status"
    # Common spellings of "all good" across frameworks: ours, Kubernetes-style
    # health handlers, the IETF health-check draft ("pass") and Spring ("UP").
    healthy_values: tuple[str, ...] = ("healthy", "ok", "pass", "up", "green", "alive")
    degraded_values: tuple[str, ...] = ("degraded", "warn", "warning", "yellow")
    checks_fields: tuple[str, ...] = ("checks", "components", "details")
    memory_used_field: str = "memory.used"
    memory_total_field: str = "memory.total"
    memory_percent_field: str = ""
    degraded_is_failure: bool = False


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: Role
    method: str
    path: str
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    expect_status: tuple[int, ...] = (200,)
    content_type: str | None = None
    schema: Path | None = None
    budgets: Budgets = field(default_factory=Budgets)
    weight: float = 1.0
    suites: frozenset[str] = frozenset(SUITES)


@dataclass(frozen=True)
class Environment:
    name: str
    source: Path
    base_url: str  # "embedded" until the reference service is started
    endpoints: tuple[Endpoint, ...]
    description: str = ""
    production: bool = False
    runbook_url: str = ""
    fred_base_url: str = "https://api.stlouisfed.org/fred"
    alpha_vantage_base_url: str = "https://www.alphavantage.co"
    secret_env: tuple[str, ...] = ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY")
    http: HttpSettings = field(default_factory=HttpSettings)
    budgets: Budgets = field(default_factory=Budgets)
    suites: Mapping[str, SuiteSettings] = field(default_factory=lambda: dict(DEFAULT_SUITES))
    health: HealthSettings = field(default_factory=HealthSettings)

    @property
    def embedded(self) -> bool:
        return self.base_url == "embedded"

    def suite(self, name: str) -> SuiteSettings:
        return self.suites.get(name, DEFAULT_SUITES["postdeploy"])

    def runbook_link(self, anchor: str) -> str:
        return f"{self.runbook_url}#{anchor}" if self.runbook_url else f"#{anchor}"
