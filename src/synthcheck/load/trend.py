"""CPU and memory under load: from samples to a trend and its warnings.

Runbook "High CPU Usage > 80 % sustained" and "Memory Leak". CPU counts as
sustained when the median of the samples taken during the load is above the limit
(a short burst is not an alert). Memory "keeps growing" when, after the load
stopped, it still rose by more than the allowed MiB and its slope over the
cool-down is upward: a service that merely holds on to memory it used under load is
not leaking, one that keeps allocating with no traffic is.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ResourceSample", "ResourceTrend", "summarize"]

MIB = 1024 * 1024
MIN_CPU_SAMPLES = 3


@dataclass(frozen=True)
class ResourceSample:
    t: float  # seconds since sampling started
    after_load: bool
    source: str  # "process" (the local reference service's /proc) or "health" (its body)
    cpu_percent: float | None = None
    memory_bytes: float | None = None
    memory_percent: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResourceSample:
        return cls(**data)


@dataclass(frozen=True)
class ResourceTrend:
    source: str
    samples_during: int
    samples_after: int
    cpu_median: float | None = None
    cpu_peak: float | None = None
    memory_start_mib: float | None = None
    memory_peak_mib: float | None = None
    memory_at_stop_mib: float | None = None
    memory_end_mib: float | None = None
    growth_after_mib: float | None = None
    cooldown_s: float = 0.0
    memory_peak_percent: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.samples_during == 0 and self.samples_after == 0

    def describe(self) -> str:
        parts = []
        if self.cpu_median is not None and self.cpu_peak is not None:
            parts.append(f"CPU median {self.cpu_median:.0f} % (peak {self.cpu_peak:.0f} %)")
        if self.memory_start_mib is not None and self.memory_at_stop_mib is not None:
            parts.append(
                f"memory {self.memory_start_mib:.0f} → {self.memory_at_stop_mib:.0f} MiB"
                f" during the load (peak {self.memory_peak_mib or 0:.0f} MiB)"
            )
        if self.growth_after_mib is not None:
            parts.append(
                f"{self.growth_after_mib:+.1f} MiB in the {self.cooldown_s:.0f} s after it"
            )
        if self.memory_peak_percent is not None:
            parts.append(f"memory peak {self.memory_peak_percent:.1f} % of the limit")
        return "; ".join(parts) + f" [{self.source}]" if parts else "no figures"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResourceTrend:
        return cls(**data)


def _slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope; 0 for fewer than two distinct times."""
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _ in points)
    mean_v = statistics.fmean(v for _, v in points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread


def _cpu(trend: dict[str, Any], during: Sequence[ResourceSample], limit: float) -> None:
    values = [s.cpu_percent for s in during if s.cpu_percent is not None]
    if not values:
        return
    trend["cpu_median"] = statistics.median(values)
    trend["cpu_peak"] = max(values)
    if len(values) >= MIN_CPU_SAMPLES and trend["cpu_median"] > limit:
        trend["warnings"].append(
            f"CPU stayed above {limit:g} % under load: median {trend['cpu_median']:.0f} %"
            f" over {len(values)} samples"
        )


def _memory(
    trend: dict[str, Any],
    during: Sequence[ResourceSample],
    after: Sequence[ResourceSample],
    growth_limit_mib: float,
) -> None:
    load_mem = [(s.t, s.memory_bytes / MIB) for s in during if s.memory_bytes is not None]
    rest_mem = [(s.t, s.memory_bytes / MIB) for s in after if s.memory_bytes is not None]
    if load_mem:
        trend["memory_start_mib"] = load_mem[0][1]
        trend["memory_peak_mib"] = max(v for _, v in load_mem + rest_mem)
        trend["memory_at_stop_mib"] = load_mem[-1][1]
    if not load_mem or not rest_mem:
        return
    trend["memory_end_mib"] = rest_mem[-1][1]
    growth = rest_mem[-1][1] - load_mem[-1][1]
    trend["growth_after_mib"] = growth
    trend["cooldown_s"] = rest_mem[-1][0] - load_mem[-1][0]
    # Rising through the cool-down, not just one step up as the load ended.
    if growth > growth_limit_mib and len(rest_mem) >= 2 and _slope(rest_mem) > 0:
        trend["warnings"].append(
            f"memory kept growing after the load stopped: {growth:+.1f} MiB in"
            f" {trend['cooldown_s']:.0f} s (allowed {growth_limit_mib:g} MiB)"
        )


def summarize(
    samples: Sequence[ResourceSample],
    *,
    cpu_limit: float,
    growth_limit_mib: float,
    memory_budget_percent: float,
) -> ResourceTrend:
    """The trend of one source: the local process when it was sampled, else the health body."""
    sources = {s.source for s in samples}
    source = "process" if "process" in sources else "health"
    picked = [s for s in samples if s.source == source]
    during = [s for s in picked if not s.after_load]
    after = [s for s in picked if s.after_load]
    trend: dict[str, Any] = {
        "source": source,
        "samples_during": len(during),
        "samples_after": len(after),
        "warnings": [],
    }
    _cpu(trend, during, cpu_limit)
    _memory(trend, during, after, growth_limit_mib)
    # The health body knows the memory limit, so the percent comes from it in any case.
    percents = [s.memory_percent for s in samples if s.memory_percent is not None]
    if percents:
        trend["memory_peak_percent"] = max(percents)
        if max(percents) > memory_budget_percent:
            trend["warnings"].append(
                f"memory reached {max(percents):.1f} % of the limit under load"
                f" (budget {memory_budget_percent:g} %)"
            )
    return ResourceTrend(**trend)
