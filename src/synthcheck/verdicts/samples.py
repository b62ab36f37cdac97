"""Small helpers every verdict uses to describe what it saw."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from synthcheck.probe import Exchange

__all__ = [
    "UNREACHABLE",
    "answered",
    "count_phrase",
    "no_answer",
    "outcome_breakdown",
    "percentile_of",
]

UNREACHABLE = "target unreachable: see availability.reachable"


def answered(exchanges: Iterable[Exchange]) -> list[Exchange]:
    """Exchanges where the target sent back a complete HTTP response."""
    return [e for e in exchanges if e.ok]


def count_phrase(bad: int, total: int, noun: str = "sample") -> str:
    return f"{bad} of {total} {noun}{'s' if total != 1 else ''}"


def outcome_breakdown(exchanges: Iterable[Exchange]) -> str:
    """``3x 503, 1x timeout (read)``: what a group of exchanges ended with."""
    counts: Counter[str] = Counter(
        e.error.kind.words if e.error else str(e.status) for e in exchanges
    )
    return ", ".join(f"{n}x {what}" for what, n in counts.most_common())


def percentile_of(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): a value that was really observed."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def no_answer(exchanges: Sequence[Exchange]) -> str:
    """Why a check has no HTTP answer to judge, pointing at the check that has one.

    "Unreachable" only when nothing was sent (the reachability check failed): an
    endpoint whose requests timed out is slow (latency, error_rate), one whose
    requests failed otherwise is availability's.
    """
    if not exchanges:
        return UNREACHABLE
    tally = outcome_breakdown(exchanges)
    if all(e.timed_out for e in exchanges):
        return f"no response to judge ({tally}): slow, see latency and error_rate"
    return f"no response to judge ({tally}): see availability"
