"""Runbook "Memory Leak": memory usage from the health body against 80 %."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config import HealthSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.health import classify_status
from synthcheck.verdicts.jsonbody import lookup
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered

__all__ = ["memory_percent", "memory_usage"]

MEMORY = Category.MEMORY
_MIB = 1024 * 1024


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            return None
    return None


def memory_percent(body: Any, settings: HealthSettings) -> tuple[float | None, str]:
    """(percent, how it was read) from the configured fields, else ``checks.memory``."""
    if settings.memory_percent_field:
        value = _number(lookup(body, settings.memory_percent_field))
        if value is not None:
            return value, f"{settings.memory_percent_field}={value:g}"
    used = _number(lookup(body, settings.memory_used_field))
    total = _number(lookup(body, settings.memory_total_field))
    if used is not None and total:
        detail = (
            f"{used / _MIB:.0f} MiB of {total / _MIB:.0f} MiB"
            if total > _MIB
            else f"{used:g} of {total:g}"
        )
        return used / total * 100.0, detail
    for field_name in settings.checks_fields:
        check = lookup(body, f"{field_name}.memory")
        if isinstance(check, dict):
            for key in ("usage_percent", "percent", "usage", "observedValue"):
                value = _number(check.get(key))
                if value is not None:
                    return value, f"{field_name}.memory.{key}={value:g}"
    return None, ""


def _self_reported(body: Any, settings: HealthSettings) -> str | None:
    """The service's own memory sub-check state, when it has one."""
    for field_name in settings.checks_fields:
        check = lookup(body, f"{field_name}.memory")
        if check is not None:
            return classify_status(check, settings)
    return None


def memory_usage(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: HealthSettings,
    budget_percent: float,
) -> CheckResult:
    got = [e for e in answered(exchanges) if e.json() is not None]
    if not got:
        why = UNREACHABLE if not exchanges else "no JSON health body to read memory from"
        return CheckResult.skipped(MEMORY, why, endpoint=target.id)
    budget = f"memory ≤ {budget_percent:g} %"
    readings = [
        (memory_percent(e.json(), settings), _self_reported(e.json(), settings)) for e in got
    ]
    percents = [(p, how) for (p, how), _ in readings if p is not None]
    states = [s for _, s in readings if s is not None]
    common = dict(endpoint=target.id, budget=budget, sample_size=len(got))
    if not percents and not states:
        return CheckResult.skipped(
            MEMORY,
            f"health body has no memory figures at {settings.memory_used_field}/"
            f"{settings.memory_total_field} or checks.memory",
            **common,
        )
    if percents:
        peak, how = max(percents)
        observed = f"{peak:.1f} % ({how}), peak of {len(percents)} sample(s)"
        metrics = {"memory_percent": round(peak, 2)}
        if peak > budget_percent:
            return CheckResult.failed(
                MEMORY,
                f"memory at {peak:.1f} % > {budget_percent:g} %",
                observed=observed,
                metrics=metrics,
                **common,
            )
    else:
        observed, metrics = f"checks.memory is {states[0]}", {}
    if "failing" in states or "degraded" in states:
        state = "failing" if "failing" in states else "degraded"
        return CheckResult.failed(
            MEMORY,
            f"the service reports its memory check as {state}",
            observed=observed,
            metrics=metrics,
            **common,
        )
    return CheckResult.passed(
        MEMORY, f"memory within {budget_percent:g} %", observed=observed, metrics=metrics, **common
    )
