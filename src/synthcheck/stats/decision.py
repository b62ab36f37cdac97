"""The three outcomes of a statistical verdict and the confidences behind them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Confidence", "Decision", "samples_to_decide"]


class Decision(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Confidence:
    """How sure a verdict must be before it passes or fails.

    ``fail`` is stricter than ``pass`` on purpose: one run makes a couple of dozen
    such decisions, and a false fail rolls a good deploy back. At 99.9 % each, twenty
    decisions stay under 2 % false fails per run even in the worst case (Bonferroni).
    """

    pass_level: float = 0.95
    fail_level: float = 0.999

    def __post_init__(self) -> None:
        for name, level in (("pass_level", self.pass_level), ("fail_level", self.fail_level)):
            if not 0.5 <= level < 1.0:
                raise ValueError(f"{name} must be within [0.5, 1), got {level}")


def samples_to_decide(
    leaning_pass: bool, more_to_pass: int | None, more_to_fail: int | None, limit: int
) -> int:
    """Samples an undecided verdict needs: those that would decide it the way it leans,
    else the other way, else ``limit`` (neither is reachable within the search)."""
    first, second = (more_to_pass, more_to_fail) if leaning_pass else (more_to_fail, more_to_pass)
    for candidate in (first, second):
        if candidate is not None:
            return max(candidate, 1)
    return limit
