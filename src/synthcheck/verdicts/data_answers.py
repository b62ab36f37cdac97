"""What every data verdict reads first: the series asked, the 2xx JSON answers, and
how a failure the failing upstream explains becomes a warning that points at it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.result import CheckResult, Outcome

__all__ = [
    "NO_ANSWER",
    "SERIES_PARAMS",
    "answers_of",
    "asked_series",
    "attributed",
    "result_fields",
]

SERIES_PARAMS = ("series", "series_id", "seriesId", "id", "symbol")
NO_ANSWER = "no successful JSON answer to read (the error-rate check reports the failures)"


def asked_series(target: ProbeTarget) -> str | None:
    """The series a target asks for: its ``series``-like query parameter."""
    query = dict(target.query)
    for name in SERIES_PARAMS:
        if query.get(name):
            return query[name]
    return None


def answers_of(exchanges: Sequence[Exchange]) -> list[tuple[Exchange, Any]]:
    """2xx JSON answers that do not themselves say ``success: false``."""
    out = []
    for e in exchanges:
        if e.status is None or not 200 <= e.status < 300:
            continue
        body = e.json()
        if body is None or (isinstance(body, dict) and body.get("success") is False):
            continue
        out.append((e, body))
    return out


def result_fields(target: ProbeTarget, n: int, budget: str, **kw: Any) -> dict[str, Any]:
    return dict(endpoint=target.id, budget=budget, sample_size=n, **kw)


def attributed(result: CheckResult, target: ProbeTarget, upstream: UpstreamHealth) -> CheckResult:
    """A failure the failing upstream explains becomes a warning pointing at it."""
    if result.outcome == Outcome.FAILED and upstream.explains(target):
        result.outcome = Outcome.WARNED
        result.message = f"{result.message}: {upstream.note()}"
    return result
