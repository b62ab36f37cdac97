"""``synthcheck history``: recent runs per check, as a terminal table."""

from __future__ import annotations

import time
from collections.abc import Sequence

from synthcheck.history.records import RunRecord

__all__ = ["render_runs", "render_table"]

SYMBOLS = {"passed": "✓", "failed": "✗", "error": "E", "warned": "!", "skipped": "-"}


def _hhmm(epoch: float) -> str:
    return time.strftime("%m-%d %H:%M", time.gmtime(epoch))


def render_runs(runs: Sequence[RunRecord]) -> str:
    """One line per run, newest first, with the environment and target it verified."""
    lines = [
        f"{'started (UTC)':<12} {'env':<12} {'suite':<10} {'outcome':<7} {'version':<10}"
        " failing  runner      target"
    ]
    for run in runs:
        failing = len(run.failing())
        lines.append(
            f"{_hhmm(run.started_at):<12} {run.env:<12} {run.suite:<10} {run.outcome:<7}"
            f" {(run.version or '-'):<10} {failing:>7}  {run.runner:<11} {run.target or '-'}"
        )
    return "\n".join(lines)


def render_table(runs: Sequence[RunRecord], *, check_filter: str = "") -> str:
    """Rows: checks; columns: runs, oldest left; cells: ✓ ✗ ! - E (or blank: not run)."""
    ordered = list(reversed(runs))
    check_ids = sorted(
        {c.check_id for run in ordered for c in run.checks if check_filter in c.check_id}
    )
    if not ordered or not check_ids:
        return "no runs in history" if not ordered else f"no check matches {check_filter!r}"
    width = max(len(c) for c in check_ids)
    # Column ruler: run numbers modulo 10 (1 = the oldest run shown).
    header = " " * width + "  " + " ".join(str((i + 1) % 10) for i in range(len(ordered)))
    targets = sorted({f"{run.env} @ {run.target or run.base_url}" for run in ordered})
    lines = [
        f"{len(ordered)} runs, {_hhmm(ordered[0].started_at)} to"
        f" {_hhmm(ordered[-1].started_at)} UTC (oldest left;"
        " ✓ passed ✗ failed ! warned - skipped E error)",
        f"target{'s' if len(targets) > 1 else ''}: {', '.join(targets)}",
        header,
    ]
    for check_id in check_ids:
        cells = []
        for run in ordered:
            outcome = next((c.outcome for c in run.checks if c.check_id == check_id), "")
            cells.append(SYMBOLS.get(outcome, " "))
        lines.append(f"{check_id:<{width}}  {' '.join(cells)}")
    return "\n".join(lines)
