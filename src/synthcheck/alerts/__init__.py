"""Alert rules with the runbook's windows, decided over the run history."""

from synthcheck.alerts.evaluate import decide, lookback_s
from synthcheck.alerts.rules import (
    DEFAULT_RULES,
    MEMORY_TREND,
    AlertRule,
    TrendRule,
    configured_rules,
)

__all__ = [
    "DEFAULT_RULES",
    "MEMORY_TREND",
    "AlertRule",
    "TrendRule",
    "configured_rules",
    "decide",
    "lookback_s",
]
