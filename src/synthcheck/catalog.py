"""The runbook's check families: category, default severity and runbook section.

This table is the single place that maps a check family to the runbook. Reports,
the terminal summary and Allure labels all read it, so a new family is added here
and nowhere else.
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
    category: Category
    severity: Severity
    runbook: str  # anchor of the runbook section to open
    title: str


_P0, _P1, _P2, _P3 = Severity.P0, Severity.P1, Severity.P2, Severity.P3

CATALOG: dict[Category, CategoryInfo] = {
    info.category: info
    for info in (
        CategoryInfo(Category.AVAILABILITY, _P0, "application-down", "Application down"),
        CategoryInfo(Category.HEALTH, _P0, "application-down", "Health check failing"),
        CategoryInfo(Category.READINESS, _P0, "application-down", "Not ready for traffic"),
        CategoryInfo(Category.LIVENESS, _P0, "application-down", "Liveness probe failing"),
        CategoryInfo(Category.ERROR_RATE, _P1, "api-error-spike", "API error rate"),
        CategoryInfo(Category.MEMORY, _P1, "memory-leak", "Memory usage"),
        CategoryInfo(Category.LATENCY, _P2, "slow-response-times", "Response times"),
        CategoryInfo(Category.KEY_LEAK, _P0, "api-key-exposure", "API key exposed"),
        CategoryInfo(
            Category.SECURITY_HEADERS, _P3, "security-incident", "Security headers missing"
        ),
        CategoryInfo(Category.INFO_DISCLOSURE, _P2, "security-incident", "Information disclosure"),
        CategoryInfo(Category.TLS, _P2, "security-incident", "TLS certificate"),
        CategoryInfo(Category.UPSTREAM, _P1, "api-error-spike", "FRED upstream"),
        CategoryInfo(Category.CONFIG, _P1, "api-error-spike", "Configuration"),
        CategoryInfo(Category.RATE_LIMIT, _P2, "api-error-spike", "API rate limit"),
        CategoryInfo(Category.LOAD, _P2, "slow-response-times", "Load test"),
        CategoryInfo(Category.RESPONSE_SIZE, _P2, "slow-response-times", "Response size"),
        CategoryInfo(Category.DATA, _P1, "api-error-spike", "Data correctness and freshness"),
        CategoryInfo(Category.DEPLOY, _P1, "deploy-rollback", "Deployed version answering"),
    )
}


def info(category: Category | str) -> CategoryInfo:
    """The catalog entry for a category; raises ValueError naming the known ones."""
    try:
        return CATALOG[Category(category)]
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise ValueError(f"unknown check category {category!r}; known: {known}") from None
