"""Adaptive sampling: send more requests only where a verdict is still undecided.

The plan's fixed ``samples`` per endpoint is only the opening round. Afterwards each
round asks, for every endpoint, how many more samples its statistical verdicts need
(``needed``: 0 once they are decided, or once one of them has failed) and sends that
many — at least ``min_batch`` and half the samples so far, never past
``max_samples`` — to all open endpoints at once. A healthy endpoint stops as soon as
a pass is sure (about 60 requests for a P95), a broken one as soon as the failure is
(often a handful), and a slow endpoint costs one round trip per round rather than
one per request.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from synthcheck.plan import ProbeTarget
from synthcheck.probe.exchange import Exchange
from synthcheck.probe.recorder import Recorder

__all__ = ["AdaptiveSampler", "Needed", "SamplingRecord", "next_batch"]

# (target, its measured exchanges so far) -> further samples its verdicts need
Needed = Callable[[ProbeTarget, Sequence[Exchange]], int]
_GROWTH = 0.5


def next_batch(have: int, needed: int, *, min_batch: int, max_samples: int) -> int:
    """How many more to send to an endpoint with ``have`` samples whose verdicts need
    ``needed`` more (0: none). At least ``min_batch`` and half of ``have``: few,
    geometrically spaced looks cost fewer round trips on a slow endpoint and spend
    less of the false-fail risk; never past ``max_samples``.
    """
    if needed <= 0:
        return 0
    batch = max(needed, min_batch, math.ceil(have * _GROWTH))
    return max(0, min(batch, max_samples - have))


@dataclass(frozen=True)
class SamplingRecord:
    """How one endpoint's samples came about, for the verdicts to report."""

    initial: int
    added: int
    rounds: int
    stopped: str  # "settled", "max_samples", "no answers", "the run deadline (60 s)", ...

    @property
    def total(self) -> int:
        return self.initial + self.added

    def describe(self) -> str:
        """``sampling: 20 planned + 43 adaptive in 2 round(s) (stopped: settled)``"""
        return (
            f"sampling: {self.initial} planned + {self.added} adaptive in {self.rounds}"
            f" round(s) (stopped: {self.stopped})"
        )


class AdaptiveSampler:
    def __init__(
        self,
        recorder: Recorder,
        targets: Sequence[ProbeTarget],
        needed: Needed,
        *,
        max_samples: int,
        min_batch: int,
    ) -> None:
        self.recorder = recorder
        self.targets = tuple(targets)
        self.needed = needed
        self.max_samples = max_samples
        self.min_batch = max(1, min_batch)
        self._records: dict[str, SamplingRecord] | None = None

    def exchanges(self, target: ProbeTarget) -> list[Exchange]:
        """The target's measured exchanges once every target of the run is settled."""
        self.settle()
        return self.recorder.exchanges(target)

    def record(self, target: ProbeTarget) -> SamplingRecord:
        records = self.settle()
        initial = len(self.recorder.exchanges(target))
        return records.get(target.id, SamplingRecord(initial, 0, 0, "not in the plan"))

    def settle(self) -> dict[str, SamplingRecord]:
        """Sample in rounds until every target is decided, capped or silent (once)."""
        if self._records is not None:
            return self._records
        # Slow endpoints' jobs go on in the background while the others' rounds run:
        # a run costs the longer of the two, not their sum.
        recorder = self.recorder
        recorder.sample(background=True)
        stopped: dict[str, str] = {}
        rounds: Counter[str] = Counter()
        while True:
            wanted = self._next_round(stopped)
            if not wanted:
                if not any(recorder.busy(t) for t in self.targets):
                    break
                recorder.drain()  # then ask the slow endpoints again
                continue
            before = {t.id: len(recorder.recorded(t)) for t, _ in wanted}
            recorder.collect_many(wanted, background=True)
            for target, _ in wanted:
                rounds[target.id] += 1
                if recorder.cut_by_deadline(target):
                    stopped[target.id] = recorder.deadline.describe()
                elif len(recorder.recorded(target)) == before[target.id] and not recorder.busy(
                    target
                ):
                    stopped[target.id] = "no answers"  # tripped breaker or unreachable
        recorder.drain()
        initial = {t.id: recorder.planned(t) for t in self.targets}
        self._records = {
            t.id: SamplingRecord(
                initial=initial[t.id],
                added=len(self.recorder.exchanges(t)) - initial[t.id],
                rounds=rounds[t.id],
                stopped=stopped.get(t.id, "settled"),
            )
            for t in self.targets
        }
        return self._records

    def _next_round(self, stopped: dict[str, str]) -> list[tuple[ProbeTarget, int]]:
        wanted = []
        for target in self.targets:
            if target.id in stopped:
                continue
            if self.recorder.tripped(target):
                stopped[target.id] = "no answers"
                continue
            decided = self.recorder.stop_reason(target)
            if decided is not None:
                stopped[target.id] = decided
                continue
            if self.recorder.busy(target):
                continue  # its jobs are still going on; asked again once they are done
            exchanges = self.recorder.recorded(target)
            needed = self.needed(target, exchanges)
            if needed <= 0:
                continue
            if self.recorder.cut_by_deadline(target) or self.recorder.deadline.expired:
                stopped[target.id] = self.recorder.deadline.describe()
                continue
            batch = next_batch(
                len(exchanges), needed, min_batch=self.min_batch, max_samples=self.max_samples
            )
            if batch <= 0:
                stopped[target.id] = "max_samples"
                continue
            wanted.append((target, batch))
        return wanted
