"""``[predeploy]`` and ``[baseline]``: the pre-deployment checklist and its baseline."""

from __future__ import annotations

from typing import Any

from synthcheck.config.errors import ConfigError
from synthcheck.config.model import BaselineSettings, PredeploySettings

__all__ = ["predeploy_sections"]

_LISTS = ("required_env", "scan_paths", "build_paths", "scan_exclude")


def predeploy_sections(raw: dict[str, Any], source: str) -> dict[str, Any]:
    predeploy = dict(raw.get("predeploy", {}))
    for key in _LISTS:
        if key in predeploy:
            predeploy[key] = tuple(predeploy[key])
    baseline = BaselineSettings(**raw.get("baseline", {}))
    if baseline.critical_increase < baseline.allowed_increase:
        raise ConfigError(
            source,
            [
                f"baseline.critical_increase: {baseline.critical_increase:g} is below"
                f" allowed_increase {baseline.allowed_increase:g}"
            ],
        )
    return {"predeploy": PredeploySettings(**predeploy), "baseline": baseline}
