"""Executes a probe plan and keeps every exchange for the checks to read.

The recorder is the only thing that sends traffic. It first proves the target
answers at all (preflight); if it does not, nothing else is sent and every check
other than availability is skipped — a down or hanging service fails in seconds
instead of every check timing out in turn.

It also keeps the run inside its deadline (probe/deadline.py) and stops sending to an
endpoint whose verdicts are already decided: a body over the size cap (response_size
is decided by the first one), repeated timeouts while the service answers (the
latency failure is sure), repeated transport failures.

Why one module past ~300 lines: it is one object. Preflight, the planned round, the
adaptive rounds, background jobs of slow endpoints and the deadline's cancel all
share its event loop, client, pacer, sequence numbers and per-target exchange
lists; the decisions themselves already live apart (admission.py: what to send,
pacing.py: how fast, deadline.py: until when, client.py: how one exchange is kept).
"""

from __future__ import annotations

import asyncio
import enum
from collections import defaultdict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from synthcheck.config import HttpSettings
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe.admission import PREFLIGHT_RETRY_S, Admission, Settled
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.deadline import Deadline
from synthcheck.probe.exchange import Exchange, TransportErrorKind
from synthcheck.probe.pacing import Pacer

__all__ = ["Preflight", "Recorder"]

T = TypeVar("T")
Job = asyncio.Future[Any]


class Deferred(enum.Enum):
    """A job put back: its endpoint times out and holds its share of the slots."""

    DEFERRED = "deferred"


DEFERRED = Deferred.DEFERRED

# Errors worth retrying in preflight: the process may be restarting right after a
# deploy. Timeouts are not retried: a hanging target would cost a timeout each time.
_RETRYABLE = {TransportErrorKind.CONNECT_REFUSED, TransportErrorKind.NETWORK_ERROR}
# How often a batch looks whether only slow endpoints' jobs are left (seconds).
_LOOK_S = 0.25


@dataclass
class Preflight:
    reachable: bool
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.reachable or not self.exchanges:
            return ""
        last = self.exchanges[-1]
        return f"{len(self.exchanges)} attempt(s), last: {last.describe()}"


class Recorder:
    def __init__(
        self,
        plan: ProbePlan,
        http: HttpSettings,
        *,
        on_exchange: Callable[[Exchange], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: Deadline | None = None,
        settled: Settled | None = None,
    ) -> None:
        self._transport = transport
        self.plan = plan
        self.http = http
        self.deadline = deadline or Deadline(None)
        self._bodies: dict[str, object] = {}  # target id -> JSON request body
        self._admission = Admission(
            plan.concurrency,
            {t.id: t.endpoint.budgets.p95_ms / 1000.0 for t in plan.targets},
            settled,
        )
        self._slot_freed = asyncio.Event()
        self._background: defaultdict[str, set[Job]] = defaultdict(set)  # slow jobs going on
        self._loop = asyncio.new_event_loop()
        self._client: RecordingClient | None = None
        self._pacer: Pacer | None = None
        self._seq = 0
        self._by_target: dict[str, list[Exchange]] = defaultdict(list)
        self._preflight: Preflight | None = None
        self._sampled = False
        self._on_exchange = on_exchange

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        running = [task for tasks in self._background.values() for task in tasks]
        for task in running:
            task.cancel()
        if running:
            self._run(asyncio.wait(running))
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
    def _skip(self, target: ProbeTarget, warmup: bool) -> bool:
        return self._admission.skip(target.id, warmup)

    async def _one(
        self, target: ProbeTarget, *, warmup: bool, planned: bool = False
    ) -> Exchange | None:
        """One job; while its endpoint times out and holds its share of the slots, the
        job waits (outside the pacer) for one of those requests to end."""
        retry = False
        while True:
            result = await self._attempt(target, warmup=warmup, retry=retry, planned=planned)
            if result is not DEFERRED:
                return result
            retry = True  # it waited its turn once: the next free slot is its
            self._slot_freed.clear()
            await self._slot_freed.wait()

    async def _attempt(
        self, target: ProbeTarget, *, warmup: bool, retry: bool, planned: bool
    ) -> Exchange | Deferred | None:
        client, pacer = await self._ensure_client()
        if self._skip(target, warmup):  # before the pacer: a skipped job costs no slot
            return None

        started: float | None = None

        def admit() -> bool:
            # Asked once the slot is ours: a job no longer wanted spends no start time.
            nonlocal started
            measured = [e for e in self._by_target[target.id] if not e.warmup]
            started = self._admission.admit(target, warmup, measured)
            return started is not None

        if not await pacer.acquire(admit, priority=retry) or started is None:
            return None if self._skip(target, warmup) else DEFERRED
        try:
            exchange = await self._record(client, target, warmup)
        finally:
            self._admission.done(target.id, started)
            pacer.release()
            self._slot_freed.set()
        if exchange is not None:
            exchange.extra["planned"] = planned
            self._keep(target, exchange)
        return exchange

    async def _record(
        self, client: RecordingClient, target: ProbeTarget, warmup: bool
    ) -> Exchange | None:
        if self.deadline.expired:
            self.deadline.cut.add(target.id)
            return None
        self._seq += 1
        return await client.record(
            target_id=target.id,
            method=target.method,
            url=target.url(self.plan.base_url),
            seq=self._seq,
            warmup=warmup,
            json_body=self._bodies.get(target.id),
            headers=target.endpoint.headers,
        )

    def _keep(self, target: ProbeTarget, exchange: Exchange) -> None:
        history = self._by_target[target.id]
        history.append(exchange)
        self._admission.kept(target, exchange, history)
        if self._on_exchange is not None:
            self._on_exchange(exchange)

    def slow_paths(self) -> set[str]:
        """Paths of endpoints stopped for repeated timeouts (probes there would time out)."""
        return {t.path for t in self.plan.targets if t.id in self._admission.slow}

    async def _many(self, jobs: Sequence[tuple[ProbeTarget, bool]], planned: bool = False) -> None:
        """Send ``jobs``; return once every job is done but those of endpoints that
        time out, which go on in the background (``_drain`` waits for them). At the
        deadline, what is in flight is cancelled and its endpoints are marked cut."""
        tasks: dict[Job, str] = {}
        for target, warm in jobs:
            task = asyncio.ensure_future(self._one(target, warmup=warm, planned=planned))
            tasks[task] = target.id
            self._background[target.id].add(task)
            task.add_done_callback(self._background[target.id].discard)
        pending = set(tasks)
        while pending:
            _, pending = await asyncio.wait(
                pending, timeout=self.deadline.limit(_LOOK_S), return_when=asyncio.FIRST_COMPLETED
            )
            if self.deadline.expired:
                await self._cancel(tasks, pending)
                return
            if all(self._admission.is_slow(tasks[t]) for t in pending):
                return  # only slow endpoints left: the others need not wait for them

    async def _cancel(self, tasks: dict[Job, str], pending: set[Job]) -> None:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.deadline.cut.update(tasks[t] for t in pending)

    async def _drain(self, ids: set[str] | None = None) -> None:
        """Wait for background jobs (of target ``ids``, or all), within the deadline."""
        tasks = {
            task: tid
            for tid, running in self._background.items()
            if ids is None or tid in ids
            for task in running
        }
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=self.deadline.remaining())
        if pending:
            await self._cancel(tasks, pending)

    def busy(self, target: ProbeTarget) -> bool:
        """Jobs of ``target`` still going on in the background (it times out)."""
        return bool(self._background.get(target.id))

    def drain(self) -> None:
        """Wait for every background job (bounded by the deadline)."""
        if any(self._background.values()):
            self._run(self._drain())

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
            if self.deadline.expired and attempt:
                break
            client, _ = await self._ensure_client()
            self._seq += 1
            exchange = await client.record(
                target_id=target.id,
                method=target.method,
                url=target.url(self.plan.base_url),
                seq=self._seq,
                warmup=True,
                headers=target.endpoint.headers,
            )
            result.exchanges.append(exchange)
            if self._on_exchange is not None:
                self._on_exchange(exchange)
            if exchange.answered:
                result.reachable = True
                break
            last = attempt + 1 == self.http.preflight_attempts
            if last or exchange.error is None or exchange.error.kind not in _RETRYABLE:
                break  # no pause after the last attempt: nothing follows it
            await asyncio.sleep(self.deadline.limit(PREFLIGHT_RETRY_S))
        return result

    def sample(self, *, background: bool = False) -> None:
        """Send the plan's warm-up and measured samples once (round-robin over targets).

        ``background``: return while slow endpoints' jobs still go on (the adaptive
        sampler's rounds run meanwhile and then ``drain()``); else wait for them.
        """
        if not self._sampled and self.preflight().reachable:
            jobs = [
                (target, round_ < self.plan.warmup)
                for round_ in range(self.plan.warmup + self.plan.samples)
                for target in self.plan.targets
            ]
            self._sampled = True
            self._run(self._many(jobs, planned=True))
        self._sampled = True
        if not background:
            self.drain()

    def collect(self, target: ProbeTarget, count: int) -> list[Exchange]:
        """Send ``count`` more measured requests to one target (for adaptive sampling)."""
        self.collect_many([(target, count)])
        return self.exchanges(target)

    def collect_many(
        self, wanted: Sequence[tuple[ProbeTarget, int]], *, background: bool = False
    ) -> None:
        """Send more measured requests to several targets at once, interleaved.

        One slow target then costs one round trip per batch, not one per target.
        ``background`` as for :meth:`sample`.
        """
        queues = [[target] * count for target, count in wanted if count > 0]
        if not queues or not self.preflight().reachable:
            return
        self.sample(background=background)
        jobs = [(q[i], False) for i in range(max(map(len, queues))) for q in queues if i < len(q)]
        self._run(self._many(jobs))
        if not background:
            self.drain()

    def exchanges(self, target: ProbeTarget, *, include_warmup: bool = False) -> list[Exchange]:
        """The target's exchanges, complete: waits for its background jobs first."""
        self.sample()
        if self.busy(target):
            self._run(self._drain({target.id}))
        return self.recorded(target, include_warmup=include_warmup)

    def recorded(self, target: ProbeTarget, *, include_warmup: bool = False) -> list[Exchange]:
        """The target's exchanges so far, without waiting for its background jobs."""
        return [e for e in self._by_target.get(target.id, []) if include_warmup or not e.warmup]

    def planned(self, target: ProbeTarget) -> int:
        """How many of the target's measured exchanges came from the plan's own round."""
        return sum(1 for e in self.recorded(target) if e.extra.get("planned"))

    def warmups(self, target: ProbeTarget) -> list[Exchange]:
        self.exchanges(target)
        return [e for e in self._by_target.get(target.id, []) if e.warmup]

    def all_exchanges(self) -> list[Exchange]:
        """Every exchange of the run, preflight included, in the order sent."""
        self.drain()
        found = list(self._preflight.exchanges) if self._preflight else []
        for exchanges in self._by_target.values():
            found.extend(exchanges)
        return sorted(found, key=lambda e: e.seq)

    def set_body(self, target: ProbeTarget, json_body: object) -> None:
        """Send ``json_body`` (as JSON) with every later request to ``target``."""
        self._bodies[target.id] = json_body

    def tripped(self, target: ProbeTarget) -> bool:
        return target.id in self._admission.tripped

    def stop_reason(self, target: ProbeTarget) -> str | None:
        """Why sampling of ``target`` stopped early, when its verdicts were decided."""
        return self._admission.stopped.get(target.id)

    def cut_by_deadline(self, target: ProbeTarget) -> bool:
        return target.id in self.deadline.cut

    @property
    def requests_sent(self) -> int:
        return self._seq
