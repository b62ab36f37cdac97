"""Small helpers every verdict uses to describe what it saw."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from synthcheck.probe import Exchange

__all__ = ["answered", "count_phrase", "outcome_breakdown", "percentile_of"]


def answered(exchanges: Iterable[Exchange]) -> list[Exchange]:
    """Exchanges where the target sent back a complete HTTP response."""
    return [e for e in exchanges if e.ok]


def count_phrase(bad: int, total: int, noun: str = "sample") -> str:
    return f"{bad} of {total} {noun}{'s' if total != 1 else ''}"


def outcome_breakdown(exchanges: Iterable[Exchange]) -> str:
    """``3x 503, 1x read_timeout``: what a group of exchanges ended with."""
    counts: Counter[str] = Counter(
        e.error.kind.value if e.error else str(e.status) for e in exchanges
    )
    return ", ".join(f"{n}x {what}" for what, n in counts.most_common())


def percentile_of(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): a value that was really observed."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]
