"""The environment file's ``[load]`` section → :class:`LoadSettings`.

The JSON Schema has already checked types and ranges; this adds the rules that span
fields (a pause range that runs backwards, a profile override above a hard cap).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthcheck.config.errors import ConfigError
from synthcheck.config.model import LoadProfileOverride, LoadSettings

__all__ = ["load_section"]


def _profile_override(raw: Mapping[str, Any]) -> LoadProfileOverride:
    return LoadProfileOverride(
        users=raw.get("users"),
        spawn_rate=raw.get("spawn_rate"),
        duration_s=raw.get("duration_s"),
        wait_min_ms=raw.get("wait_min_ms"),
        wait_max_ms=raw.get("wait_max_ms"),
    )


def _override_problems(name: str, override: LoadProfileOverride, load: LoadSettings) -> list[str]:
    where = f"load.profiles.{name}"
    problems = []
    if override.users is not None and override.users > load.max_users:
        problems.append(f"{where}.users: {override.users} exceeds load.max_users {load.max_users}")
    if override.duration_s is not None and override.duration_s > load.max_duration_s:
        problems.append(
            f"{where}.duration_s: {override.duration_s:g} exceeds load.max_duration_s"
            f" {load.max_duration_s:g}"
        )
    low, high = override.wait_min_ms, override.wait_max_ms
    if low is not None and high is not None and low > high:
        problems.append(f"{where}.wait_min_ms: {low:g} is above wait_max_ms {high:g}")
    return problems


def load_section(raw: Mapping[str, Any], source: str) -> LoadSettings:
    """Build the ``[load]`` settings (defaults for whatever the file leaves out)."""
    plain = {key: value for key, value in raw.items() if key != "profiles"}
    if "max_duration_s" in plain:
        plain["max_duration_s"] = float(plain["max_duration_s"])
    profiles = {name: _profile_override(value) for name, value in raw.get("profiles", {}).items()}
    load = LoadSettings(**plain, profiles=profiles)
    problems = [
        problem
        for name, override in profiles.items()
        for problem in _override_problems(name, override, load)
    ]
    if problems:
        raise ConfigError(source, problems)
    return load
