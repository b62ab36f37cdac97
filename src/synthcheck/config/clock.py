"""The run's clock: ``$SYNTHCHECK_CLOCK`` (epoch seconds) stands in for now.

Replays and tests set it to date a run in the history and to judge data freshness
against a fixed day; one reader so both see the same time and the same error.
"""

from __future__ import annotations

from collections.abc import Mapping

from synthcheck.config.errors import ConfigError

__all__ = ["CLOCK_ENV_VAR", "run_clock"]

CLOCK_ENV_VAR = "SYNTHCHECK_CLOCK"


def run_clock(environ: Mapping[str, str]) -> float | None:
    """The configured epoch time, or None when unset; a bad value is a ConfigError."""
    text = environ.get(CLOCK_ENV_VAR, "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ConfigError(
            f"${CLOCK_ENV_VAR}", [f"{text!r} is not a time in epoch seconds"]
        ) from None
