"""Executes a probe plan and keeps every exchange for the checks to read.

The recorder is the only thing that sends traffic. It first proves the target
answers at all (preflight); if it does not, nothing else is sent and every check
other than availability is skipped — a down or hanging service fails in seconds
instead of every check timing out in turn.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from synthcheck.config import HttpSettings
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.exchange import Exchange, TransportErrorKind
from synthcheck.probe.pacing import Pacer

__all__ = ["Preflight", "Recorder"]

T = TypeVar("T")

# Errors worth retrying in preflight: the process may be restarting right after a
# deploy. Timeouts are not retried: a hanging target would cost a timeout each time.
_RETRYABLE = {TransportErrorKind.CONNECT_REFUSED, TransportErrorKind.NETWORK_ERROR}
# Stop sampling one target after this many transport failures in a row; the
# availability check reports it, more samples would only add timeouts.
_BREAKER = 3


@dataclass
class Preflight:
    reachable: bool
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.reachable or not self.exchanges:
            return ""
        last = self.exchanges[-1]
        return f"{len(self.exchanges)} attempt(s), last: {last.describe()}" + (
            f" ({last.error.message})" if last.error else ""
        )


class Recorder:
    def __init__(
        self,
        plan: ProbePlan,
        http: HttpSettings,
        *,
        on_exchange: Callable[[Exchange], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._transport = transport
        self.plan = plan
        self.http = http
        self._loop = asyncio.new_event_loop()
        self._client: RecordingClient | None = None
        self._pacer: Pacer | None = None
        self._seq = 0
        self._by_target: dict[str, list[Exchange]] = defaultdict(list)
        self._tripped: set[str] = set()
        self._preflight: Preflight | None = None
        self._sampled = False
        self._on_exchange = on_exchange

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        if self._client is not None:
            self._loop.run_until_complete(self._client.aclose())
            self._client = None
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(coro)

    async def _ensure_client(self) -> tuple[RecordingClient, Pacer]:
        if self._client is None or self._pacer is None:
            self._client = RecordingClient(self.http, transport=self._transport)
            self._pacer = Pacer(self.plan.concurrency, self.plan.max_rps)
        return self._client, self._pacer

    # -- sending ---------------------------------------------------------------
    async def _one(self, target: ProbeTarget, *, warmup: bool) -> Exchange | None:
        client, pacer = await self._ensure_client()
        async with pacer:
            if target.id in self._tripped:
                return None
            self._seq += 1
            exchange = await client.record(
                target_id=target.id,
                method=target.method,
                url=target.url(self.plan.base_url),
                seq=self._seq,
                warmup=warmup,
            )
        self._keep(target, exchange)
        return exchange

    def _keep(self, target: ProbeTarget, exchange: Exchange) -> None:
        history = self._by_target[target.id]
        history.append(exchange)
        recent = history[-_BREAKER:]
        if len(recent) == _BREAKER and all(not e.answered for e in recent):
            self._tripped.add(target.id)
        if self._on_exchange is not None:
            self._on_exchange(exchange)

    async def _many(self, jobs: Sequence[tuple[ProbeTarget, bool]]) -> None:
        await asyncio.gather(*(self._one(target, warmup=warm) for target, warm in jobs))

    # -- public API ------------------------------------------------------------
    def preflight(self) -> Preflight:
        """Prove the target answers HTTP (any status) before sending the plan."""
        if self._preflight is None:
            self._preflight = self._run(self._preflight_async())
        return self._preflight

    async def _preflight_async(self) -> Preflight:
        target = self.plan.preflight_target
        result = Preflight(reachable=False)
        for attempt in range(self.http.preflight_attempts):
            client, _ = await self._ensure_client()
            self._seq += 1
            exchange = await client.record(
                target_id=target.id,
                method=target.method,
                url=target.url(self.plan.base_url),
                seq=self._seq,
                warmup=True,
            )
            result.exchanges.append(exchange)
            if self._on_exchange is not None:
                self._on_exchange(exchange)
            if exchange.answered:
                result.reachable = True
                break
            if exchange.error is None or exchange.error.kind not in _RETRYABLE:
                break
            await asyncio.sleep(0.5 * (attempt + 1))
        return result

    def sample(self) -> None:
        """Send the plan's warm-up and measured samples once (round-robin over targets)."""
        if self._sampled or not self.preflight().reachable:
            self._sampled = True
            return
        jobs = [
            (target, round_ < self.plan.warmup)
            for round_ in range(self.plan.warmup + self.plan.samples)
            for target in self.plan.targets
        ]
        self._run(self._many(jobs))
        self._sampled = True

    def collect(self, target: ProbeTarget, count: int) -> list[Exchange]:
        """Send ``count`` more measured requests to one target (for adaptive sampling)."""
        self.collect_many([(target, count)])
        return self.exchanges(target)

    def collect_many(self, wanted: Sequence[tuple[ProbeTarget, int]]) -> None:
        """Send more measured requests to several targets at once, interleaved.

        One slow target then costs one round trip per batch, not one per target.
        """
        queues = [[target] * count for target, count in wanted if count > 0]
        if not queues or not self.preflight().reachable:
            return
        self.sample()
        jobs = [(q[i], False) for i in range(max(map(len, queues))) for q in queues if i < len(q)]
        self._run(self._many(jobs))

    def exchanges(self, target: ProbeTarget, *, include_warmup: bool = False) -> list[Exchange]:
        self.sample()
        return [e for e in self._by_target.get(target.id, []) if include_warmup or not e.warmup]

    def warmups(self, target: ProbeTarget) -> list[Exchange]:
        self.sample()
        return [e for e in self._by_target.get(target.id, []) if e.warmup]

    def all_exchanges(self) -> list[Exchange]:
        """Every exchange of the run, preflight included, in the order sent."""
        found = list(self._preflight.exchanges) if self._preflight else []
        for exchanges in self._by_target.values():
            found.extend(exchanges)
        return sorted(found, key=lambda e: e.seq)

    def tripped(self, target: ProbeTarget) -> bool:
        return target.id in self._tripped

    @property
    def requests_sent(self) -> int:
        return self._seq
