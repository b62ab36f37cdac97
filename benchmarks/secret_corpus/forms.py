"""How a FRED or Alpha Vantage key is written when it is not a plain assignment.

Each function returns the text to plant and the part of it that a label shows (the
key itself, or its encoded / disclosed part).
"""

from __future__ import annotations

import base64
import random
from urllib.parse import quote

__all__ = [
    "ENCODED_FORMS",
    "SERIES",
    "SYMBOLS",
    "api_url",
    "encode",
    "entities",
    "mask_prefix",
    "truncate",
]

SERIES = ("UNRATE", "GDPC1", "CPIAUCSL", "FEDFUNDS", "DGS10", "PAYEMS", "T10Y2Y", "M2SL")
SYMBOLS = ("IBM", "MSFT", "AAPL", "NVDA", "TSLA", "SPY", "EURUSD", "BTC")
ENCODED_FORMS = (
    "percent", "double_percent", "base64_url", "base64_kv", "html_entities", "json_escaped",
)  # fmt: skip


def api_url(family: str, key: str, rng: random.Random) -> str:
    """The request URL that carries the key, as the provider documents it."""
    if family == "fred":
        endpoint = rng.choice(("series/observations", "series", "series/updates"))
        return (
            f"https://api.stlouisfed.org/fred/{endpoint}?series_id={rng.choice(SERIES)}"
            f"&api_key={key}&file_type=json"
        )
    function = rng.choice(("TIME_SERIES_DAILY", "GLOBAL_QUOTE", "TIME_SERIES_INTRADAY"))
    return (
        f"https://www.alphavantage.co/query?function={function}"
        f"&symbol={rng.choice(SYMBOLS)}&apikey={key}"
    )


def entities(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(f"&#{ord(c)};" for c in text)
    return "".join(f"&#x{ord(c):x};" for c in text)


def encode(form: str, family: str, key: str, rng: random.Random) -> tuple[str, str]:
    """(planted text, shown) for one of ENCODED_FORMS."""
    url = api_url(family, key, rng)
    if form == "percent":
        return quote(url, safe=""), key
    if form == "double_percent":
        return quote(quote(url, safe=""), safe=""), key
    if form == "base64_url":
        blob = base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
        return blob, blob
    if form == "base64_kv":
        name = "FRED_API_KEY" if family == "fred" else "ALPHA_VANTAGE_API_KEY"
        blob = base64.b64encode(f"{name}={key}".encode()).decode()
        return blob, blob
    if form == "html_entities":
        shown = entities(key, rng)
        name = "api_key=" if family == "fred" else "apikey="
        return url.replace("&", "&amp;").replace(name + key, entities(name, rng) + shown), shown
    if form == "json_escaped":
        return url.replace("/", "\\/").replace("&", "\\u0026"), key
    raise ValueError(form)


def truncate(key: str, rng: random.Random) -> tuple[str, str]:
    """A key cut short in a log line: 8 to 16 characters still disclosed."""
    shown = key[: rng.randrange(8, 17)]
    return shown + rng.choice(("…", "...", "… (truncated)", "[truncated]")), shown


def mask_prefix(key: str, rng: random.Random) -> tuple[str, str]:
    """Masked after a prefix of 8+ characters: still a leak."""
    keep = rng.choice((8, 8, 10, 12))
    text = key[:keep] + "*" * (len(key) - keep)
    return text, text
