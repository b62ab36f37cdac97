"""Which of an endpoint's requests are errors, and why: the facts the error rate is judged on.

An error is a transport failure, a 5xx, or a status outside the endpoint's
``expect_status`` other than the 4xx the environment lists as expected
(``probe/measure.py: failure``); each is kept with its reason for the breakdown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from synthcheck.config import ErrorRateSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.measure import failure

__all__ = ["ErrorTally", "tally"]


@dataclass(frozen=True)
class ErrorTally:
    exchanges: tuple[Exchange, ...]
    reasons: tuple[tuple[int, str], ...]  # (seq, why) of each error

    @property
    def n(self) -> int:
        return len(self.exchanges)

    @property
    def errors(self) -> int:
        return len(self.reasons)

    def breakdown(self) -> str:
        """``10x 502, 2x timeout (read)``"""
        counts = Counter(why for _, why in self.reasons)
        return ", ".join(f"{n}x {why}" for why, n in counts.most_common())


def tally(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: ErrorRateSettings
) -> ErrorTally:
    expected = target.endpoint.expect_status
    reasons = []
    for exchange in exchanges:
        why = failure(exchange, expected, settings.expected_4xx)
        if why is not None:
            reasons.append((exchange.seq, why))
    return ErrorTally(tuple(exchanges), tuple(reasons))
