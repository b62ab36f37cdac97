"""Concurrency bound plus a requests-per-second cap shared by every probe of a run."""

from __future__ import annotations

import asyncio
import time

__all__ = ["Pacer"]


class Pacer:
    """At most ``concurrency`` requests in flight and at most ``max_rps`` started per second.

    Starts are spaced evenly (``1/max_rps`` apart) rather than in bursts, so a probe
    run never looks like a spike to the target's own rate limiter.
    """

    def __init__(self, concurrency: int, max_rps: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._interval = 1.0 / max_rps
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Pacer:
        await self._slots.acquire()
        async with self._lock:
            now = time.monotonic()
            wait = self._next_start - now
            self._next_start = max(now, self._next_start) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._slots.release()
