"""Shared planting helpers: mixes of positive and decoy assignments, harmless settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from benchmarks.secret_corpus.families import PAIR_FAMILIES, Pair, Planner
from benchmarks.secret_corpus.model import Doc

__all__ = ["FILLER", "SERVICES", "mixed_pairs", "plant_pairs", "quote_if_needed"]

SERVICES = (
    "fred-api", "quotes-worker", "dashboard", "ingest", "billing", "notifier", "gateway",
    "scheduler", "reports-ui", "cache-warmer",
)  # fmt: skip
FILLER: tuple[tuple[str, str], ...] = (
    ("PORT", "3000"),
    ("NODE_ENV", "production"),
    ("LOG_LEVEL", "info"),
    ("CACHE_TTL_SECONDS", "900"),
    ("FRED_SERIES", "UNRATE,GDPC1,CPIAUCSL"),
    ("TZ", "UTC"),
    ("WEB_CONCURRENCY", "4"),
    ("REQUEST_TIMEOUT_MS", "5000"),
    ("ALLOWED_HOSTS", "fred.example.org,localhost"),
    ("FEATURE_QUOTES", "true"),
    ("SENTRY_ENVIRONMENT", "production"),
    ("METRICS_PORT", "9464"),
)


def mixed_pairs(
    p: Planner, positives: int, decoys: int, allowed: Sequence[str] = PAIR_FAMILIES
) -> list[Pair]:
    pairs = [p.pair(allowed) for _ in range(positives)]
    pairs += [p.decoy_pair() for _ in range(decoys)]
    p.rng.shuffle(pairs)
    return pairs


def quote_if_needed(value: str, quote: str = '"') -> str:
    plain = value.replace("_", "").replace("-", "").replace(".", "").isalnum()
    return value if plain else f"{quote}{value}{quote}"


def plant_pairs(
    doc: Doc,
    p: Planner,
    pairs: Sequence[Pair],
    render: Callable[[str, str], str],
    filler: int = 3,
) -> None:
    """Write the pairs through `render(name, value)`, with harmless settings between them."""
    extra = p.rng.sample(FILLER, min(filler, len(FILLER)))
    rows: list[tuple[str, str, Pair | None]] = [(n, v, None) for n, v in extra]
    rows += [(pair.name, pair.value, pair) for pair in pairs]
    p.rng.shuffle(rows)
    for name, value, pair in rows:
        text = render(name, value)
        if pair is None:
            doc.add(text)
        else:
            doc.put(text, pair.value, pair.item)
