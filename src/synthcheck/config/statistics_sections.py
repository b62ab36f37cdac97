"""``[statistics]``, ``[error_rate]``, ``[rate_limit]`` and the upstream probe fields.

Parsed here so the loader stays one line per section; the JSON Schema has already
checked types and ranges, this adds the rules that relate two fields.
"""

from __future__ import annotations

from typing import Any

from synthcheck.config.errors import ConfigError
from synthcheck.config.model import (
    ErrorRateSettings,
    RateLimitSettings,
    StatisticsSettings,
    SuiteSettings,
    UpstreamProbeSettings,
)
from synthcheck.config.sections import UPSTREAM_PROBE_KEYS

__all__ = ["statistics_sections", "suite_settings"]


def suite_settings(raw: dict[str, Any], default: SuiteSettings) -> SuiteSettings:
    """One ``[suites.NAME]`` table; ``max_samples`` is never below ``samples``."""
    samples = raw.get("samples", default.samples)
    return SuiteSettings(
        samples=samples,
        warmup=raw.get("warmup", default.warmup),
        max_samples=raw.get("max_samples", max(default.max_samples, samples)),
        deadline_s=float(raw.get("deadline_s", default.deadline_s)),
    )


def _problems(raw: dict[str, Any], suites: dict[str, Any]) -> list[str]:
    problems = []
    for name, suite in suites.items():
        if "max_samples" in suite and suite["max_samples"] < suite.get("samples", 0):
            problems.append(
                f"suites.{name}.max_samples: {suite['max_samples']} is below samples"
                f" {suite['samples']}; adaptive sampling can only add requests"
            )
    stats = raw.get("statistics", {})
    if stats.get("fail_confidence", 1.0) < stats.get("confidence", 0.0):
        problems.append(
            f"statistics.fail_confidence: {stats['fail_confidence']:g} is below confidence"
            f" {stats['confidence']:g}; a fail must be at least as sure as a pass"
        )
    limits = raw.get("rate_limit", {})
    warn = limits.get("warn_usage", RateLimitSettings.warn_usage)
    fail = limits.get("fail_usage", RateLimitSettings.fail_usage)
    if warn >= fail:
        problems.append(f"rate_limit.warn_usage: {warn:g} is not below fail_usage {fail:g}")
    return problems


def statistics_sections(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Keyword arguments for :class:`Environment` built from this issue's sections."""
    problems = _problems(raw, raw.get("suites", {}))
    if problems:
        raise ConfigError(source, problems)
    error_rate = dict(raw.get("error_rate", {}))
    if "expected_4xx" in error_rate:
        error_rate["expected_4xx"] = tuple(error_rate["expected_4xx"])
    upstreams = raw.get("upstreams", {})
    probe = {
        field: upstreams[key] for key, field in UPSTREAM_PROBE_KEYS.items() if key in upstreams
    }
    return {
        "statistics": StatisticsSettings(**raw.get("statistics", {})),
        "error_rate": ErrorRateSettings(**error_rate),
        "rate_limit": RateLimitSettings(**raw.get("rate_limit", {})),
        "upstream_probe": UpstreamProbeSettings(**probe),
    }
