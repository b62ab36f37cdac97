"""Concurrency bound plus a requests-per-second cap shared by every probe of a run."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Pacer"]


class Pacer:
    """At most ``concurrency`` requests in flight and at most ``max_rps`` started per second.

    Starts are spaced evenly (``1/max_rps`` apart) rather than in bursts, so a probe
    run never looks like a spike to the target's own rate limiter. Slots go first come,
    first served, except that a ``priority`` request (one that already waited its turn
    once and was put back) goes before those still queued.
    """

    def __init__(self, concurrency: int, max_rps: float) -> None:
        self._free = concurrency
        self._waiting: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (
            deque(),  # priority
            deque(),
        )
        self._interval = 1.0 / max_rps
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Pacer:
        await self.acquire()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    async def _slot(self, priority: bool) -> None:
        if self._free > 0 and not any(self._waiting):
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[0 if priority else 1].append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a slot just as we were cancelled: pass it on
            raise

    async def acquire(
        self, still_wanted: Callable[[], bool] | None = None, *, priority: bool = False
    ) -> bool:
        """Take a slot, then a start time. ``still_wanted`` is asked once the slot is
        ours: a request no longer wanted (its endpoint was decided meanwhile) gives the
        slot back at once and spends no start time. True: go ahead, release() after."""
        await self._slot(priority)
        if still_wanted is not None and not still_wanted():
            self.release()
            return False
        async with self._lock:
            now = time.monotonic()
            wait = self._next_start - now
            self._next_start = max(now, self._next_start) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)
        return True

    def release(self) -> None:
        """Hand the slot to the next waiter (priority first), or free it."""
        for queue in self._waiting:
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._free += 1
