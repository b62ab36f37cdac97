"""Which request goes out next: endpoints decided are not resampled, slow ones share.

The recorder asks :class:`Admission` before every request and tells it about every
exchange. It stops an endpoint whose verdicts are decided (a body over the size cap:
response_size; timeouts in a row that decide latency and the error rate; transport
failures in a row: availability), skips warm-ups after one that timed out or was cut
off, and keeps endpoints that time out from holding every slot: together they get at
most ``concurrency - 1`` requests in flight, shared between them, so the rest of the
service keeps being sampled while their requests wait out their timeouts.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from synthcheck.plan import ProbeTarget
from synthcheck.probe.exchange import Exchange

__all__ = ["PREFLIGHT_RETRY_S", "Admission", "Settled"]

# (target, its measured exchanges) -> are all of its statistical verdicts decided?
Settled = Callable[[ProbeTarget, Sequence[Exchange]], bool]

# Stop sampling one target after this many transport failures in a row; the
# availability check reports it, more samples would only add timeouts.
BREAKER = 3
# Measured timeouts in a row after which an endpoint is not resampled: without a
# ``settled`` rule, and as a cap when that rule never says its verdicts are decided.
TIMEOUT_BREAKER = 3
TIMEOUT_CAP = 6
# A request running longer than this (targets outside the plan: leak probes,
# scripts) marks its endpoint slow; plan targets use their P95 budget.
DEFAULT_BUDGET_S = 0.5
# Pause between preflight attempts after a refused connection: a refused connect is
# a definite answer, retried only for a process swap on a fixed port (exec, systemd or
# container restart), which leaves the port closed for tens to hundreds of ms. A restart
# that takes seconds is the deploy pipeline's readiness wait, not ours (docs/deadlines.md).
PREFLIGHT_RETRY_S = 0.2


def timeout_run(measured: Sequence[Exchange]) -> int:
    """How many of the last exchanges timed out, in a row."""
    run = 0
    for exchange in reversed(measured):
        if not exchange.timed_out:
            break
        run += 1
    return run


class Admission:
    def __init__(
        self, concurrency: int, budgets_s: Mapping[str, float], settled: Settled | None
    ) -> None:
        self.stopped: dict[str, str] = {}  # target id -> why it is no longer sampled
        self.tripped: set[str] = set()  # stopped after transport failures in a row
        self.slow: set[str] = set()  # stopped after repeated timeouts
        self._settled = settled
        self._budgets_s = dict(budgets_s)
        self._cold: set[str] = set()  # a warm-up timed out or was cut off: no more
        self._timing_out: set[str] = set()  # targets with a timeout so far
        self._slow_limit = max(concurrency - 1, 1)  # slots slow targets may hold at once
        self._in_flight: Counter[str] = Counter()
        self._started: defaultdict[str, list[float]] = defaultdict(list)

    # -- before a request -----------------------------------------------------------
    def skip(self, target_id: str, warmup: bool) -> bool:
        """Not wanted any more: the endpoint is decided (or a warm-up is pointless)."""
        if target_id in self.tripped or target_id in self.stopped:
            return True
        # A warm-up that timed out or was cut off at the size cap has exercised the
        # route; another costs a full timeout or download.
        return warmup and target_id in self._cold

    def admit(
        self, target: ProbeTarget, warmup: bool, measured: Sequence[Exchange]
    ) -> float | None:
        """Whether this request goes out now: its start time, or None. Admitted, it is
        counted in flight at once (no other request is admitted on the same count);
        call :meth:`done` with the start time after it."""
        if self.skip(target.id, warmup) or self._slow_and_full(target.id):
            return None
        if not warmup and self._decided_if_in_flight_time_out(target, measured):
            return None
        started = time.monotonic()
        self._in_flight[target.id] += 1
        self._started[target.id].append(started)
        return started

    def done(self, target_id: str, started: float) -> None:
        self._in_flight[target_id] -= 1
        self._started[target_id].remove(started)

    def is_slow(self, target_id: str) -> bool:
        """It has timed out, or a request of it has been running longer than its P95
        budget: it will probably hold a slot for a long time."""
        if target_id in self._timing_out:
            return True
        started = self._started.get(target_id)
        if not started:
            return False
        limit_s = self._budgets_s.get(target_id, DEFAULT_BUDGET_S)
        return time.monotonic() - min(started) > limit_s

    def _slow_and_full(self, target_id: str) -> bool:
        if not self.is_slow(target_id):
            return False
        slow = {tid for tid, n in self._in_flight.items() if n and self.is_slow(tid)}
        if sum(self._in_flight[tid] for tid in slow) >= self._slow_limit:
            return True
        share = max(1, self._slow_limit // len(slow | {target_id}))
        return self._in_flight[target_id] >= share

    def _decided_if_in_flight_time_out(
        self, target: ProbeTarget, measured: Sequence[Exchange]
    ) -> bool:
        """Whether the requests still in flight decide the endpoint if they time out as
        its last ones did: another one now would most likely be a wasted timeout."""
        in_flight = self._in_flight[target.id]
        if target.id not in self._timing_out or not in_flight:
            return False
        last = next((e for e in reversed(measured) if e.timed_out), None)
        if last is None:
            return False
        if self._settled is None:
            return timeout_run(measured) + in_flight >= TIMEOUT_BREAKER
        return self._settled(target, [*measured, *([last] * in_flight)])

    # -- after a request ------------------------------------------------------------
    def kept(self, target: ProbeTarget, exchange: Exchange, history: Sequence[Exchange]) -> None:
        """Learn from one exchange (``history``: the target's exchanges, it included)."""
        recent = history[-BREAKER:]
        if exchange.body_truncated and exchange.warmup:
            self._cold.add(target.id)  # one measured sample will decide response_size
        elif exchange.body_truncated:
            self.stopped.setdefault(target.id, "body over the size cap (response_size decided)")
        elif exchange.timed_out:
            self._after_timeout(target, exchange, history)
        elif len(recent) == BREAKER and all(not e.answered for e in recent):
            self.tripped.add(target.id)

    def _after_timeout(
        self, target: ProbeTarget, exchange: Exchange, history: Sequence[Exchange]
    ) -> None:
        """Stop a slow endpoint once more timeouts would change none of its verdicts."""
        self._timing_out.add(target.id)
        if exchange.warmup:
            self._cold.add(target.id)
            return
        measured = [e for e in history if not e.warmup]
        run = timeout_run(measured)
        if self._settled is None:
            decided = run >= TIMEOUT_BREAKER
        else:
            decided = run >= TIMEOUT_CAP or self._settled(target, measured)
        if decided:
            self.slow.add(target.id)
            self.stopped.setdefault(
                target.id, f"{run} timeouts in a row (too slow: its verdicts are decided)"
            )
