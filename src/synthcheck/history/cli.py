"""``synthcheck history``: read the run history (table, runs list, trend chart)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from synthcheck.config import HistorySettings
from synthcheck.history import open_store
from synthcheck.history.chart import write_chart
from synthcheck.history.records import target_key
from synthcheck.history.table import render_runs, render_table

__all__ = ["DEFAULT_HISTORY", "add_parser", "history_location", "run"]

DEFAULT_HISTORY = HistorySettings().location
HISTORY_ENV_VAR = "SYNTHCHECK_HISTORY"


def history_location(cli_value: str | None = None) -> str:
    """Flag, then $SYNTHCHECK_HISTORY, then the default SQLite file."""
    return cli_value or os.environ.get(HISTORY_ENV_VAR, "").strip() or DEFAULT_HISTORY


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "history", help="recent runs per check, and a trend chart of the run history"
    )
    parser.add_argument(
        "--history",
        metavar="PATH_OR_URL",
        help=f"SQLite file or postgresql:// URL [env: {HISTORY_ENV_VAR};"
        f" default {DEFAULT_HISTORY}]",
    )
    parser.add_argument("--env", help="only this environment (default: all)")
    parser.add_argument(
        "--target",
        help="only runs that verified this target: a base URL, or 'embedded' (default: all)",
    )
    parser.add_argument("--limit", type=int, default=20, help="how many recent runs (default 20)")
    parser.add_argument("--check", default="", help="only checks whose id contains this text")
    parser.add_argument("--runs", action="store_true", help="list runs instead of the check table")
    parser.add_argument("--chart", type=Path, metavar="FILE.html", help="write a trend chart")


def run(ns: argparse.Namespace) -> int:
    location = history_location(ns.history)
    if ns.limit < 1:
        print("synthcheck history: --limit must be at least 1", file=sys.stderr)
        return 2
    if "://" not in location and not Path(location).is_file():
        print(f"synthcheck history: no history at {location}", file=sys.stderr)
        return 2
    try:
        with open_store(location) as store:
            target = target_key(ns.target) if ns.target else None
            runs = store.runs(ns.env, target=target, limit=ns.limit)
            keys = sorted({(r.env, r.target) for r in runs})
            rollback = {key: store.last_passing_version(*key) for key in keys}
    except Exception as exc:
        print(f"synthcheck history: cannot read {location}: {exc}", file=sys.stderr)
        return 2
    print(render_runs(runs) if ns.runs else render_table(runs, check_filter=ns.check))
    for (env, where), last in rollback.items():
        offer = f"{last[0]} (passed {_utc(last[1])})" if last else "none (no passing run)"
        print(f"rollback target of {env} @ {where or '-'}: {offer}")
    if ns.chart:
        write_chart(ns.chart, runs, env=ns.env or "all environments")
        print(f"chart: {ns.chart}")
    return 0
