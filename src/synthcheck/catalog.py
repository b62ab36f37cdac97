"""The family registry: one entry per check family (``category``), everything else reads it.

Each entry says what the runbook and the reports need (default severity, runbook
section, title), where a reader goes next (``doc``), which environment-file sections
tune the family and which ``checks/`` modules implement it. Reports, the terminal
summary, Allure labels, the summary schema's enums and the README's table of families
all come from here (``python -m synthcheck.reporting.family_docs`` regenerates the
schema enums and the table; tests/unit/test_family_registry.py fails on any drift).

This module is in the foundation layer and imports nothing of the project. The
sections are named as the environment file spells them; which settings dataclass
holds each section is the config layer's half of the registry
(``synthcheck.config.sections``), since config sits above this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CATALOG", "Category", "CategoryInfo", "Severity", "info"]


class Severity(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class Category(StrEnum):
    AVAILABILITY = "availability"
    HEALTH = "health"
    READINESS = "readiness"
    LIVENESS = "liveness"
    ERROR_RATE = "error_rate"
    MEMORY = "memory"
    LATENCY = "latency"
    KEY_LEAK = "key_leak"
    SECURITY_HEADERS = "security_headers"
    INFO_DISCLOSURE = "info_disclosure"
    TLS = "tls"
    UPSTREAM = "upstream"
    CONFIG = "config"
    RATE_LIMIT = "rate_limit"
    LOAD = "load"
    RESPONSE_SIZE = "response_size"
    DATA = "data"
    DEPLOY = "deploy"


@dataclass(frozen=True)
class CategoryInfo:
    """One check family."""

    category: Category
    severity: Severity  # the default; a check may raise it (latency over the critical line)
    runbook: str  # anchor of the runbook section to open (docs/runbook.md)
    title: str
    # Environment-file sections (top-level keys of environment.schema.json) whose
    # settings the family's checks read; [suites] and [[endpoints]] tune every family.
    sections: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()  # modules of checks/ that declare the category
    doc: str = ""  # where the family's behaviour is explained (path[#anchor] in the repo)
    symptom: str = ""  # the runbook line it watches, as the README's table shows it


_P0, _P1, _P2, _P3 = Severity.P0, Severity.P1, Severity.P2, Severity.P3
_C = Category

_FAMILIES: tuple[CategoryInfo, ...] = (
    CategoryInfo(
        _C.AVAILABILITY, _P0, "application-down", "Application down",
        sections=("http",), checks=("test_availability",), doc="docs/deadlines.md",
        symptom="no response at all, 5xx everywhere, redirect loops",
    ),
    CategoryInfo(
        _C.HEALTH, _P0, "application-down", "Health check failing",
        sections=("health",), checks=("test_health",), doc="docs/health-formats.md",
        symptom="`/api/health` failing: status code, type, schema, `status`, a sub-check",
    ),
    CategoryInfo(
        _C.READINESS, _P0, "application-down", "Not ready for traffic",
        sections=("health",), checks=("test_readiness",), doc="docs/health-formats.md",
        symptom="`/api/ready` not ready for traffic",
    ),
    CategoryInfo(
        _C.LIVENESS, _P0, "application-down", "Liveness probe failing",
        sections=("budgets", "statistics"), checks=("test_liveness",),
        doc="docs/statistics.md#latency-verdictslatencypy",
        symptom="`/api/live` not answering, or slower than `liveness_ms`",
    ),
    CategoryInfo(
        _C.ERROR_RATE, _P1, "api-error-spike", "API error rate",
        sections=("budgets", "error_rate"), checks=("test_data", "test_error_rate"),
        doc="docs/statistics.md#error-rate-verdictserror_ratepy",
        symptom="error rate > 5 % (4xx/5xx increasing); data responses that lost their shape",
    ),
    CategoryInfo(
        _C.MEMORY, _P1, "memory-leak", "Memory usage",
        sections=("budgets", "health"), checks=("test_memory",),
        doc="docs/health-formats.md#memory",
        symptom="memory usage > 80 % (a utilization only)",
    ),
    CategoryInfo(
        _C.LATENCY, _P2, "slow-response-times", "Response times",
        sections=("budgets", "statistics", "baseline"),
        checks=("test_latency", "test_predeploy"),
        doc="docs/statistics.md#latency-verdictslatencypy",
        symptom="response time P95 > 500 ms (P1 over the critical 1000 ms); slower than baseline",
    ),
    CategoryInfo(
        _C.KEY_LEAK, _P0, "api-key-exposure", "API key exposed",
        sections=("secrets", "security", "logs", "predeploy"),
        checks=("test_key_leak", "test_logs", "test_predeploy"), doc="docs/key-leaks.md",
        symptom="API key exposed: responses, error pages, redirects, scripts, the log, the tree",
    ),
    CategoryInfo(
        _C.SECURITY_HEADERS, _P3, "security-incident", "Security headers missing",
        sections=("security",), checks=("test_security_headers",),
        doc="docs/data-checks.md#security-cors-and-csp",
        symptom="security headers missing; CSP, CORS",
    ),
    CategoryInfo(
        _C.INFO_DISCLOSURE, _P2, "security-incident", "Information disclosure",
        sections=("security",), checks=("test_info_disclosure",),
        doc="docs/key-leaks.md#error-paths-and-served-scripts",
        symptom="stack traces, debug pages, version banners",
    ),
    CategoryInfo(
        _C.TLS, _P2, "security-incident", "TLS certificate",
        sections=("security", "http"), checks=("test_tls",),
        doc="docs/requests.md#internal-tls-ca_bundle-client_cert-client_key",
        symptom="TLS certificate invalid or expiring within `tls_min_days`",
    ),
    CategoryInfo(
        _C.UPSTREAM, _P1, "api-error-spike", "FRED upstream",
        sections=("upstreams",), checks=("test_upstream",),
        doc="docs/statistics.md#upstream-attribution-probeupstreampy-verdictsupstreampy",
        symptom="FRED upstream failing or slow",
    ),
    CategoryInfo(
        _C.CONFIG, _P1, "api-error-spike", "Configuration",
        sections=("predeploy", "history", "notify"), checks=("test_predeploy",),
        doc="docs/ci.md#the-pre-deploy-suite",
        symptom="required variables missing or malformed; no rollback target, webhook or history",
    ),
    CategoryInfo(
        _C.RATE_LIMIT, _P2, "api-error-spike", "API rate limit",
        sections=("rate_limit",), checks=("test_rate_limit",),
        doc="docs/statistics.md#rate-limit-headroom-verdictsrate_limitpy",
        symptom="API rate limit > 80 % usage",
    ),
    CategoryInfo(
        _C.LOAD, _P2, "slow-response-times", "Load test",
        sections=("load", "budgets"), checks=("test_load",), doc="docs/load-tests.md",
        symptom="simple load test: performance benchmarks not met",
    ),
    CategoryInfo(
        _C.RESPONSE_SIZE, _P2, "slow-response-times", "Response size",
        sections=("budgets", "http"), checks=("test_response_size",),
        doc="docs/deadlines.md#endpoints-whose-verdicts-are-decided-are-not-resampled",
        symptom="oversized responses (`response_bytes`)",
    ),
    CategoryInfo(
        _C.DATA, _P1, "api-error-spike", "Data correctness and freshness",
        sections=("data", "upstreams"), checks=("test_data",), doc="docs/data-checks.md",
        symptom="data not the series asked, stale, a fallback while \"success\", not FRED's",
    ),
    CategoryInfo(
        _C.DEPLOY, _P1, "deploy-rollback", "Deployed version answering",
        sections=("version",), checks=("test_deploy_version",),
        doc="docs/data-checks.md#the-deploy-landed",
        symptom="the deployed version is not the one answering (`--expect-version`)",
    ),
)  # fmt: skip

CATALOG: dict[Category, CategoryInfo] = {family.category: family for family in _FAMILIES}


def info(category: Category | str) -> CategoryInfo:
    """The catalog entry for a category; raises ValueError naming the known ones."""
    try:
        return CATALOG[Category(category)]
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise ValueError(f"unknown check category {category!r}; known: {known}") from None
