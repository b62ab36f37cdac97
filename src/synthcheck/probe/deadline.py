"""The run's wall-clock budget: sampling stops at it, whatever the target does.

A slow, hanging or endlessly streaming target cannot stretch a run: the recorder asks
the deadline before every request, cancels what is still in flight when it passes,
and remembers which endpoints it cut short so that their verdicts can say so
(docs/deadlines.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["Deadline"]


@dataclass
class Deadline:
    budget_s: float | None  # None: no deadline
    started_mono: float = field(default_factory=time.monotonic)
    cut: set[str] = field(default_factory=set)  # target ids whose sampling it cut short

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None without a deadline."""
        if self.budget_s is None:
            return None
        return max(0.0, self.started_mono + self.budget_s - time.monotonic())

    @property
    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0

    def limit(self, seconds: float) -> float:
        """``seconds``, or less when the deadline comes first."""
        left = self.remaining()
        return seconds if left is None else min(seconds, left)

    def describe(self) -> str:
        """``the run deadline (60 s)``"""
        budget = "none" if self.budget_s is None else f"{self.budget_s:g} s"
        return f"the run deadline ({budget})"
