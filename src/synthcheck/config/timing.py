"""The run deadline and per-request timeouts set from the command line or environment.

``--deadline`` / ``$SYNTHCHECK_DEADLINE`` replaces the suite's ``[suites.X] deadline_s``;
``--timeout`` / ``$SYNTHCHECK_TIMEOUT`` the per-request limit (``http.total_timeout_s``,
and ``read_timeout_s`` when that is longer); ``--connect-timeout`` /
``$SYNTHCHECK_CONNECT_TIMEOUT`` ``http.connect_timeout_s``. Precedence as for every
setting: flag, environment variable, environment file, default.
"""

from __future__ import annotations

import re
from dataclasses import replace

from synthcheck.config.errors import ConfigError
from synthcheck.config.model import Environment

__all__ = ["apply_timing", "parse_seconds"]

_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$", re.IGNORECASE)
_UNIT: dict[str | None, float] = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}


def parse_seconds(value: object, source: str, *, maximum: float) -> float | None:
    """``"10"``, ``"10s"``, ``"2.5"``, ``"500ms"``, ``"2m"`` → seconds; None when unset."""
    if value is None or str(value).strip() == "":
        return None
    match = _SECONDS.match(str(value))
    seconds = 0.0
    if match:
        unit = match.group(2).lower() if match.group(2) else None
        seconds = float(match.group(1)) * _UNIT[unit]
    if not match or seconds <= 0 or seconds > maximum:
        raise ConfigError(
            source,
            [
                f"{value!r} is not a duration between 0 and {maximum:g} s"
                " (seconds, e.g. 10, 10s, 500ms or 2m)"
            ],
        )
    return seconds


def apply_timing(
    env: Environment,
    suite: str,
    *,
    deadline_s: float | None = None,
    timeout_s: float | None = None,
    connect_timeout_s: float | None = None,
    sources: tuple[str, str] = ("--timeout", "--connect-timeout"),
) -> Environment:
    """Layer the flags over the environment file's values (None: keep the file's)."""
    http = env.http
    if timeout_s is not None:
        http = replace(
            http, total_timeout_s=timeout_s, read_timeout_s=min(http.read_timeout_s, timeout_s)
        )
    if connect_timeout_s is not None:
        http = replace(http, connect_timeout_s=connect_timeout_s)
    if http.connect_timeout_s > http.total_timeout_s:
        source = sources[1] if connect_timeout_s is not None else sources[0]
        raise ConfigError(
            source,
            [
                f"connect timeout {http.connect_timeout_s:g} s is longer than the request"
                f" timeout {http.total_timeout_s:g} s"
            ],
        )
    changes: dict[str, object] = {}
    if http != env.http:
        changes["http"] = http
    if deadline_s is not None:
        suites = dict(env.suites)
        suites[suite] = replace(env.suite(suite), deadline_s=deadline_s)
        changes["suites"] = suites
    return replace(env, **changes) if changes else env  # type: ignore[arg-type]
