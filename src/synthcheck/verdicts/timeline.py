"""A one-line picture of when in the run requests failed: ``|....xX....|``.

Buckets split the whole run's time span evenly, so the timelines of different
endpoints line up under each other in a report.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from synthcheck.probe import Exchange

__all__ = ["LEGEND", "run_span", "timeline"]

LEGEND = "'.' no errors, 'x' some, 'X' half or more, ' ' no requests"


def run_span(exchanges: Sequence[Exchange]) -> tuple[float, float]:
    """(first start, last start) on the monotonic clock; (0, 0) for no exchanges."""
    if not exchanges:
        return 0.0, 0.0
    starts = [e.started_mono for e in exchanges]
    return min(starts), max(starts)


def timeline(
    exchanges: Sequence[Exchange],
    failed: Collection[int],
    span: tuple[float, float],
    width: int = 20,
) -> str:
    """``failed`` holds the ``seq`` of the exchanges that count as errors."""
    start, end = span
    length = max(end - start, 1e-9)
    totals = [0] * width
    errors = [0] * width
    for exchange in exchanges:
        offset = (exchange.started_mono - start) / length
        bucket = min(width - 1, max(0, int(offset * width)))
        totals[bucket] += 1
        errors[bucket] += exchange.seq in failed
    marks = []
    for total, bad in zip(totals, errors, strict=True):
        if total == 0:
            marks.append(" ")
        elif bad == 0:
            marks.append(".")
        else:
            marks.append("X" if 2 * bad >= total else "x")
    return "|" + "".join(marks) + "|"
