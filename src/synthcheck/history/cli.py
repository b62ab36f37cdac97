"""``synthcheck history``: read the run history (table, runs list, trend chart)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from synthcheck.config import ConfigError
from synthcheck.config.history_setting import DEFAULT_HISTORY, history_setting
from synthcheck.history import open_store, resolve_location
from synthcheck.history.chart import write_chart
from synthcheck.history.records import target_key
from synthcheck.history.table import render_runs, render_table

__all__ = ["HISTORY_ENV_VAR", "add_parser", "history_location", "run"]

HISTORY_ENV_VAR = "SYNTHCHECK_HISTORY"


def history_location(ns: argparse.Namespace, default_env_dir: Path, command: str) -> str | None:
    """The store the runs wrote (see :mod:`synthcheck.config.history_setting`); None, with
    the reason printed, when it is off or the environment file is broken (exit 2)."""
    try:
        found = history_setting(
            ns.history,
            env=ns.env,
            env_dir=ns.env_dir,
            default_env_dir=default_env_dir,
            environ=os.environ,
        )
    except ConfigError as exc:
        print(f"synthcheck {command}: {exc}", file=sys.stderr)
        return None
    location = resolve_location(str(found.value))
    if location is None:
        print(
            f"synthcheck {command}: the history is off ({found.source}: {found.value!r});"
            " pass --history PATH_OR_URL to read one",
            file=sys.stderr,
        )
    return location


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "history", help="recent runs per check, and a trend chart of the run history"
    )
    parser.add_argument(
        "--history",
        metavar="PATH_OR_URL",
        help=f"SQLite file or postgresql:// URL [env: {HISTORY_ENV_VAR}; default: the"
        f" environment file's [history] location, else {DEFAULT_HISTORY}]",
    )
    parser.add_argument(
        "--env",
        help="only this environment (default: all); its file, when found, names the history",
    )
    parser.add_argument(
        "--env-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="directory holding the environment files [env: SYNTHCHECK_ENV_DIR]",
    )
    parser.add_argument(
        "--target",
        help="only runs that verified this target: a base URL, or 'embedded' (default: all)",
    )
    parser.add_argument("--limit", type=int, default=20, help="how many recent runs (default 20)")
    parser.add_argument("--check", default="", help="only checks whose id contains this text")
    parser.add_argument("--runs", action="store_true", help="list runs instead of the check table")
    parser.add_argument("--chart", type=Path, metavar="FILE.html", help="write a trend chart")


def run(ns: argparse.Namespace, default_env_dir: Path) -> int:
    if ns.limit < 1:
        print("synthcheck history: --limit must be at least 1", file=sys.stderr)
        return 2
    location = history_location(ns, default_env_dir, "history")
    if location is None:
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
