"""Runtime settings of the reference service and the secrets it handles.

Kept in one frozen object so that the app, the stub and the fault effects all
see the same keys and URLs, and so that masking knows every secret value.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from urllib.parse import urlencode

DEFAULT_APP_VERSION = "1.4.2"
DEFAULT_FRED_BASE_URL = "https://api.stlouisfed.org/fred"
# Only ever used to build leak strings: the reference service never calls it.
DEFAULT_ALPHA_VANTAGE_BASE_URL = "https://www.alphavantage.co"
MASK = "****"

# FRED's own rule for keys: 32 lower-case alphanumeric characters.
FRED_KEY_RE = re.compile(r"^[a-z0-9]{32}$")
# Query parameters that carry keys in FRED and Alpha Vantage URLs.
_KEY_PARAM_RE = re.compile(r"(?i)\b(api_?key)=([^&\s\"']*)")


def generate_fred_key() -> str:
    """A random key that FRED (and the stub) would accept as well-formed."""
    return secrets.token_hex(16)


def generate_alpha_vantage_key() -> str:
    """A random key shaped like Alpha Vantage's (16 upper-case alphanumerics)."""
    alphabet = string.ascii_uppercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def is_valid_fred_key(key: str) -> bool:
    return bool(FRED_KEY_RE.match(key))


@dataclass(frozen=True)
class Settings:
    fred_api_key: str = field(default_factory=generate_fred_key, repr=False)
    fred_base_url: str = DEFAULT_FRED_BASE_URL
    alpha_vantage_api_key: str = field(default_factory=generate_alpha_vantage_key, repr=False)
    alpha_vantage_base_url: str = DEFAULT_ALPHA_VANTAGE_BASE_URL
    app_version: str = DEFAULT_APP_VERSION
    memory_limit_mb: int = 512
    cache_ttl: float = 60.0
    upstream_timeout: float = 3.0
    # How old the last upstream result may get before /api/health triggers a
    # background refresh; keeps health fast and the upstream lightly used.
    health_refresh_s: float = 5.0
    enable_fault_admin: bool = False

    @property
    def memory_limit_bytes(self) -> int:
        return self.memory_limit_mb * 1024 * 1024

    def fred_url(self, endpoint: str, series_id: str, **extra: str | int) -> str:
        """The full upstream URL, key included: for requests and leak faults only."""
        query: dict[str, str | int] = {"series_id": series_id, "api_key": self.fred_api_key}
        query.update(extra)
        query["file_type"] = "json"
        return f"{self.fred_base_url.rstrip('/')}/{endpoint.lstrip('/')}?{urlencode(query)}"

    def alpha_vantage_url(self, symbol: str = "IBM") -> str:
        query = urlencode(
            {"function": "GLOBAL_QUOTE", "symbol": symbol, "apikey": self.alpha_vantage_api_key}
        )
        return f"{self.alpha_vantage_base_url.rstrip('/')}/query?{query}"

    def secret(self, which: str) -> str:
        """The key named by a fault's `key` parameter (`fred` or `alpha_vantage`)."""
        return self.alpha_vantage_api_key if which == "alpha_vantage" else self.fred_api_key

    def leak_url(self, which: str, series_id: str = "UNRATE") -> str:
        """An upstream URL carrying the chosen key, as a careless service would echo it."""
        if which == "alpha_vantage":
            return self.alpha_vantage_url()
        return self.fred_url("series/observations", series_id)

    def mask(self, text: str) -> str:
        """Hide every key in `text`: key-looking query params and the known values."""
        masked = _KEY_PARAM_RE.sub(lambda m: f"{m.group(1)}={MASK}", text)
        for value in (self.fred_api_key, self.alpha_vantage_api_key):
            if value:
                masked = masked.replace(value, MASK)
        return masked
