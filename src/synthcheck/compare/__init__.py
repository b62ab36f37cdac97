"""Baseline comparison: is a candidate's latency worse than the stable version's?"""

from synthcheck.compare.mannwhitney import (
    Comparison,
    ComparisonVerdict,
    compare_latency,
    mann_whitney_u,
)

__all__ = ["Comparison", "ComparisonVerdict", "compare_latency", "mann_whitney_u"]
