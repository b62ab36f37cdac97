"""Whose fault is it? A failing FRED upstream explains the app's data-endpoint errors.

When the harness's own direct probe of the upstream fails, the data endpoints'
502s and slowness are reported as warnings that point at the upstream check
instead of as the app's latency or error-rate failures: the on-call engineer opens
the upstream section of the runbook, not the app's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.stats.decision import Decision
from synthcheck.verdicts.result import CheckResult

__all__ = ["UPSTREAM_UNKNOWN", "UpstreamHealth"]

UPSTREAM_CHECK = "upstream.fred"


@dataclass(frozen=True)
class UpstreamHealth:
    failing: bool
    summary: str  # e.g. "FRED answered 3x 503"

    def explains(self, target: ProbeTarget) -> bool:
        """The app's data endpoints depend on the upstream; the others do not."""
        return self.failing and target.role == "data"

    def note(self) -> str:
        return f"attributed to the FRED upstream ({self.summary}; see {UPSTREAM_CHECK})"

    def unsettled(
        self,
        category: Category,
        target: ProbeTarget,
        decision: Decision,
        message: str,
        **common: Any,
    ) -> CheckResult:
        """A verdict that did not pass: the upstream's when it explains the target (a
        warning pointing at it), else failed, or a warning while undecided."""
        if self.explains(target):
            return CheckResult.warned(category, f"{message}: {self.note()}", **common)
        if decision == Decision.FAIL:
            return CheckResult.failed(category, message, **common)
        return CheckResult.warned(category, message, **common)


UPSTREAM_UNKNOWN = UpstreamHealth(failing=False, summary="not probed")
