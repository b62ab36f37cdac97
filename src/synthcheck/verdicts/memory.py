"""Runbook "Memory Leak": memory utilization from the health body against 80 %.

Only a figure that IS a utilization is judged (docs/health-formats.md, "Memory"):
an explicit percent (``[health] memory_percent_field``, ``checks.memory.usage_percent``,
an IETF check whose ``observedUnit`` is percent), or used against a limit
(``memory.limit``/``max``/``heapSizeLimit``, or ``[health] memory_limit_mb``).
A managed heap's used/allocated (Node ``heapUsed/heapTotal``, JVM used/committed,
``memory: {used, total}``) sits near 100 % on a healthy idle process: it is shown
as information, never judged.

The service's own memory status counts: ``fail`` fails; ``warn`` without a figure
over the budget is a warning (the service's thresholds are its own, the runbook's
budget is 80 % of a limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config import HealthSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.health_json import component
from synthcheck.verdicts.health_model import Status
from synthcheck.verdicts.jsonbody import lookup
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered

__all__ = ["memory_info", "memory_percent", "memory_usage"]

MEMORY = Category.MEMORY
_MIB = 1024 * 1024
_LIMIT_KEYS = ("limit", "max", "heapSizeLimit", "heap_size_limit", "limit_bytes", "container_limit")
_PERCENT_KEYS = ("usage_percent", "used_percent", "percent", "percentage", "usedPercent")
_PERCENT_UNITS = ("percent", "%")


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


def _size(value: float) -> str:
    return f"{value / _MIB:.0f} MiB" if value > _MIB else f"{value:g}"


def _parent(dotted: str) -> str:
    return dotted.rsplit(".", 1)[0] if "." in dotted else ""


def _checks(body: Any, settings: HealthSettings) -> Iterable[tuple[str, Any]]:
    """Every memory sub-check: ``checks.memory`` and IETF ``checks["memory:..."]``."""
    for field_name in settings.checks_fields:
        container = lookup(body, field_name)
        if not isinstance(container, dict):
            continue
        for key, value in container.items():
            if str(key).lower().split(":", 1)[0] in ("memory", "heap", "mem"):
                for entry in value if isinstance(value, list) else [value]:
                    yield f"{field_name}.{key}", entry


def _used_of_limit(body: Any, settings: HealthSettings) -> tuple[float, str] | None:
    used = _number(lookup(body, settings.memory_used_field))
    if used is None:
        return None
    parent = _parent(settings.memory_used_field)
    limit = _number(lookup(body, settings.memory_limit_field))
    name = settings.memory_limit_field
    container = lookup(body, parent) if parent else body
    for key in _LIMIT_KEYS:
        if limit is None and isinstance(container, dict):
            limit, name = _number(container.get(key)), f"{parent}.{key}".lstrip(".")
    if limit:
        return used / limit * 100.0, f"{_size(used)} of {_size(limit)} ({name})"
    if settings.memory_limit_mb > 0:
        configured = settings.memory_limit_mb * _MIB
        return used / configured * 100.0, (
            f"{_size(used)} of the configured {settings.memory_limit_mb:g} MiB limit"
        )
    return None


def memory_percent(body: Any, settings: HealthSettings) -> tuple[float | None, str]:
    """(utilization percent, how it was read), or (None, "") when the body has none."""
    if settings.memory_percent_field:
        value = _number(lookup(body, settings.memory_percent_field))
        if value is not None:
            return value, f"{settings.memory_percent_field}={value:g}"
    of_limit = _used_of_limit(body, settings)
    if of_limit is not None:
        return of_limit
    memory = lookup(body, _parent(settings.memory_used_field) or "memory")
    for key in _PERCENT_KEYS:
        value = _number(memory.get(key)) if isinstance(memory, dict) else None
        if value is not None:
            return value, f"memory.{key}={value:g}"
    for name, check in _checks(body, settings):
        if not isinstance(check, dict):
            continue
        for key in _PERCENT_KEYS:
            value = _number(check.get(key))
            if value is not None:
                return value, f"{name}.{key}={value:g}"
        unit = str(check.get("observedUnit", "")).strip().lower()
        value = _number(check.get("observedValue"))
        if value is not None and unit in _PERCENT_UNITS:
            return value, f"{name} observedValue={value:g} {unit}"
    return None, ""


def memory_info(body: Any, settings: HealthSettings) -> str:
    """Used/allocated figures shown as information (a heap's total is not a limit)."""
    used = _number(lookup(body, settings.memory_used_field))
    total = _number(lookup(body, settings.memory_total_field))
    if used is None:
        heap = lookup(body, "memory")
        if isinstance(heap, dict):
            used, total = _number(heap.get("heapUsed")), _number(heap.get("heapTotal"))
    if used is None or not total:
        return ""
    return (
        f"{_size(used)} used of {_size(total)} allocated"
        f" ({settings.memory_used_field}/{settings.memory_total_field}: information,"
        " not a utilization)"
    )


def _self_reported(body: Any, settings: HealthSettings) -> Status | None:
    """The service's own memory sub-check state, when it has one."""
    states = [component(n, c, settings).status for n, c in _checks(body, settings)]
    known = [s for s in states if s != "unknown"]
    if not known:
        return None
    return "fail" if "fail" in known else "warn" if "warn" in known else "pass"


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
    budget = f"memory utilization ≤ {budget_percent:g} %"
    bodies = [e.json() for e in got]
    percents = [p for p in (memory_percent(b, settings) for b in bodies) if p[0] is not None]
    states = [s for s in (_self_reported(b, settings) for b in bodies) if s is not None]
    info = next((i for i in (memory_info(b, settings) for b in bodies) if i), "")
    common = dict(endpoint=target.id, budget=budget, sample_size=len(got))
    if not percents and not states:
        return CheckResult.skipped(
            MEMORY,
            "health body has no memory utilization (a percent, used/limit, or"
            " checks.memory)" + (f"; {info}" if info else ""),
            **common,
        )
    parts: list[str] = []
    metrics: dict[str, Any] = {}
    peak = 0.0
    if percents:
        peak, how = max((p, h) for p, h in percents if p is not None)
        parts.append(f"{peak:.1f} % ({how}), peak of {len(percents)} sample(s)")
        metrics["memory_percent"] = round(peak, 2)
    if states:
        state = "fail" if "fail" in states else "warn" if "warn" in states else "pass"
        parts.append(f"the service's memory check says {state}")
    else:
        state = "pass"
    if info:
        parts.append(info)
    used = [u for u in (_number(lookup(b, settings.memory_used_field)) for b in bodies) if u]
    if used:
        # As reported (bytes for the reference), for the canary memory-growth trend.
        metrics["memory_used"] = max(used)
    observed = "; ".join(parts)
    kw: dict[str, Any] = dict(observed=observed, metrics=metrics, **common)
    if percents and peak > budget_percent:
        return CheckResult.failed(MEMORY, f"memory at {peak:.1f} % > {budget_percent:g} %", **kw)
    if state == "fail":
        return CheckResult.failed(MEMORY, "the service reports its memory check as failing", **kw)
    if state == "warn":
        return CheckResult.warned(
            MEMORY, "the service reports its memory check as warn (within the budget)", **kw
        )
    return CheckResult.passed(MEMORY, f"memory within {budget_percent:g} %", **kw)
