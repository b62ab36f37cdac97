"""``[history]``, ``[alerts.<rule>]``, ``[notify]``, ``[metrics]``: what happens after a run.

The JSON Schema has already checked names, types and ranges; this builds the settings.
"""

from __future__ import annotations

from typing import Any

from synthcheck.config.model import HistorySettings, MetricsSettings, NotifySettings

__all__ = ["canary_sections"]


def canary_sections(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "history": HistorySettings(**raw.get("history", {})),
        "alerts": {rule: dict(values) for rule, values in raw.get("alerts", {}).items()},
        "notify": NotifySettings(**raw.get("notify", {})),
        "metrics": MetricsSettings(**raw.get("metrics", {})),
    }
