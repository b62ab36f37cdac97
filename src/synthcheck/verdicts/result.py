"""What a check decided, in the shape every report is made from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from synthcheck.catalog import Category, Severity, info

__all__ = ["CheckResult", "Metric", "Outcome"]


# A figure of a check: a number, a label, or a short list of numbers (latency samples
# kept for baseline comparisons).
Metric = float | int | str | None | list[float]


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNED = "warned"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass
class CheckResult:
    """One check's verdict.

    ``budget`` and ``observed`` are short human-readable strings (they are printed as
    the "budget:" and "observed:" lines); ``metrics`` carries the same figures as
    numbers for history and dashboards. ``sample_size`` is how many recorded
    exchanges the verdict rests on.
    """

    category: Category
    outcome: Outcome
    message: str
    endpoint: str | None = None
    budget: str = ""
    observed: str = ""
    sample_size: int | None = None
    severity: Severity | None = None
    runbook: str | None = None
    reproduce: str | None = None
    details: list[str] = field(default_factory=list)
    metrics: dict[str, Metric] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        entry = info(self.category)
        self.category = entry.category
        self.severity = self.severity or entry.severity
        self.runbook = self.runbook or entry.runbook

    # -- constructors that read like the decision they record ---------------------
    @classmethod
    def passed(cls, category: Category, message: str, **kw: Any) -> CheckResult:
        return cls(category, Outcome.PASSED, message, **kw)

    @classmethod
    def failed(cls, category: Category, message: str, **kw: Any) -> CheckResult:
        return cls(category, Outcome.FAILED, message, **kw)

    @classmethod
    def warned(cls, category: Category, message: str, **kw: Any) -> CheckResult:
        return cls(category, Outcome.WARNED, message, **kw)

    @classmethod
    def skipped(cls, category: Category, message: str, **kw: Any) -> CheckResult:
        return cls(category, Outcome.SKIPPED, message, **kw)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["category"] = self.category.value
        data["outcome"] = self.outcome.value
        data["severity"] = self.severity.value if self.severity else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        data = dict(data)
        data["category"] = Category(data["category"])
        data["outcome"] = Outcome(data["outcome"])
        data["severity"] = Severity(data["severity"]) if data.get("severity") else None
        return cls(**data)
