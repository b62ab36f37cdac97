"""Command-line and environment-variable values layered over a loaded environment:
``--budget NAME=VALUE`` parsing, ``--base-url``, ``--samples`` and the upstream base URLs
(``FRED_BASE_URL``, ``ALPHA_VANTAGE_BASE_URL``). Errors name their source and exit 2."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from synthcheck.config.errors import ConfigError, did_you_mean
from synthcheck.config.model import Budgets, Environment

__all__ = ["apply_overrides", "parse_budget_overrides"]


_BUDGET_TYPES = {
    name: (int if name == "response_bytes" else float) for name in Budgets.__dataclass_fields__
}


def parse_budget_overrides(items: Sequence[str], source: str) -> dict[str, float | int]:
    """``["p95_ms=400", "error_rate=0.02"]`` → ``{"p95_ms": 400.0, "error_rate": 0.02}``."""
    out: dict[str, float | int] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(source, [f"{item!r}: expected NAME=VALUE, e.g. p95_ms=400"])
        if key not in _BUDGET_TYPES:
            raise ConfigError(
                source,
                [
                    f"{key!r}: unknown budget.{did_you_mean(key, _BUDGET_TYPES)}"
                    f" Accepted: {', '.join(sorted(_BUDGET_TYPES))}"
                ],
            )
        try:
            value = _BUDGET_TYPES[key](text)
        except ValueError:
            kind = "a whole number" if _BUDGET_TYPES[key] is int else "a number"
            raise ConfigError(source, [f"{key}: {text!r} is not {kind}"]) from None
        if value < 0 or (key == "error_rate" and value > 1):
            raise ConfigError(source, [f"{key}: {text!r} is out of range"])
        out[key] = value
    return out


def apply_overrides(
    env: Environment,
    *,
    base_url: str | None = None,
    budgets: Mapping[str, float | int] | None = None,
    samples: int | None = None,
    suite: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Environment:
    """Layer command-line and environment-variable values over the file's."""
    environ = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    if base_url:
        changes["base_url"] = base_url.rstrip("/")
    # The service itself reads these; a verifier on a closed network points them at a
    # local upstream so that no check ever reaches the real FRED or Alpha Vantage.
    if environ.get("FRED_BASE_URL"):
        changes["fred_base_url"] = environ["FRED_BASE_URL"].rstrip("/")
    if environ.get("ALPHA_VANTAGE_BASE_URL"):
        changes["alpha_vantage_base_url"] = environ["ALPHA_VANTAGE_BASE_URL"].rstrip("/")
    if budgets:
        changes["budgets"] = env.budgets.merged(budgets)
        changes["endpoints"] = tuple(
            replace(ep, budgets=ep.budgets.merged(budgets)) for ep in env.endpoints
        )
    if samples is not None and suite is not None:
        suites = dict(env.suites)
        current = env.suite(suite)
        suites[suite] = replace(
            current, samples=samples, max_samples=max(samples, current.max_samples)
        )
        changes["suites"] = suites
    return replace(env, **changes) if changes else env
