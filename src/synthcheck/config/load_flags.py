"""The load options of a run (``--load-profile``, ``--workers``, the safety switches ...).

Raw values arrive from :mod:`synthcheck.config.options` (resolved by
:mod:`synthcheck.config.precedence`) with the name of where each came from, so an
error names the flag or the variable to fix. The profile names and the duration
syntax live here, below :mod:`synthcheck.load.profiles`, so that config never
imports the load layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synthcheck.config.errors import ConfigError, did_you_mean

__all__ = [
    "MAX_LOCAL_WORKERS",
    "PROFILE_NAMES",
    "LoadFlags",
    "check_profile_name",
    "parse_duration",
    "parse_load_flags",
]

# Local worker processes share this machine's cores; more than this is a typo.
MAX_LOCAL_WORKERS = 64
# The profiles of synthcheck.load.profiles (a test keeps the two in step).
PROFILE_NAMES: tuple[str, ...] = ("smoke", "load", "stress", "spike", "soak")

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s?)?$"
)


def parse_duration(text: str) -> float:
    """``90`` / ``90s`` / ``5m`` / ``1h30m`` → seconds; ValueError for anything else."""
    cleaned = text.strip().lower()
    match = _DURATION.match(cleaned)
    if not cleaned or match is None:
        raise ValueError(f"{text!r} is not a duration like 90, 90s, 5m or 1h30m")
    parts = match.groupdict(default="0")
    seconds = float(parts["h"]) * 3600 + float(parts["m"]) * 60 + float(parts["s"])
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return seconds


def check_profile_name(name: str, source: str) -> str:
    if name not in PROFILE_NAMES:
        raise ConfigError(
            source,
            [
                f"{name!r} is not a load profile.{did_you_mean(name, PROFILE_NAMES)}"
                f" Profiles: {', '.join(PROFILE_NAMES)}"
            ],
        )
    return name


@dataclass(frozen=True)
class LoadFlags:
    profile: str | None = None
    users: int | None = None
    duration_s: float | None = None
    workers: int = 0
    allow_remote: bool = False
    confirm_production: str | None = None
    smoke: bool = False


def _whole_number(value: Any, source: str, *, minimum: int, maximum: int | None = None) -> int:
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        raise ConfigError(source, [f"{text!r} is not a whole number"]) from None
    if number < minimum or (maximum is not None and number > maximum):
        accepted = f"{minimum}..{maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(source, [f"{number} is out of range (accepted: {accepted})"])
    return number


def parse_load_flags(values: Mapping[str, Any], sources: Mapping[str, str]) -> LoadFlags:
    """Validate the raw option values (keys are the option ``dest`` names)."""
    profile = values.get("load_profile")
    users = values.get("load_users")
    duration = values.get("load_duration")
    workers = values.get("workers")
    duration_s = None
    if duration is not None:
        try:
            duration_s = parse_duration(str(duration))
        except ValueError as exc:
            raise ConfigError(sources["load_duration"], [str(exc)]) from None
    confirm = values.get("confirm_production_load")
    return LoadFlags(
        profile=check_profile_name(str(profile), sources["load_profile"]) if profile else None,
        users=_whole_number(users, sources["load_users"], minimum=1) if users is not None else None,
        duration_s=duration_s,
        workers=(
            _whole_number(workers, sources["workers"], minimum=0, maximum=MAX_LOCAL_WORKERS)
            if workers is not None
            else 0
        ),
        allow_remote=bool(values.get("allow_remote_load")),
        confirm_production=str(confirm).strip() if confirm else None,
        smoke=bool(values.get("smoke_load")),
    )
