"""In-memory TTL cache for upstream series, which also keeps stale entries.

Stale entries are what let the service answer (`X-Cache: STALE`) while the
upstream is down, so expiry only marks an entry old; the size bound evicts.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from synthcheck.reference.applog import utc_now_iso


@dataclass(frozen=True)
class CacheEntry:
    value: dict[str, Any]
    stored_at: float
    fetched_at: str


class TTLCache:
    def __init__(
        self, ttl: float, *, max_entries: int = 256, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()

    def get(self, key: str) -> tuple[CacheEntry, bool] | None:
        """The entry and whether it is still fresh, or None if never cached."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        return entry, self._clock() - entry.stored_at < self.ttl

    def put(self, key: str, value: dict[str, Any]) -> CacheEntry:
        entry = CacheEntry(value=value, stored_at=self._clock(), fetched_at=utc_now_iso())
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)
