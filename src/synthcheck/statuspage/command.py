"""``synthcheck status-page --out DIR``: build the static status site from the history.

Exit codes: 0 written, 2 usage error (bad flag, no history, no runs for the environment).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from synthcheck.alerts import DEFAULT_RULES, configured_rules
from synthcheck.config import (
    ConfigError,
    Environment,
    find_environment_file,
    load_environment,
)
from synthcheck.history import open_store
from synthcheck.history.cli import HISTORY_ENV_VAR, history_location
from synthcheck.statuspage.model import WINDOWS, build_status
from synthcheck.statuspage.site import write_site

__all__ = ["add_parser", "run"]

_LOOKBACK_S = max(span for _, span in WINDOWS)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "status-page",
        help="build a static status page (uptime, trends, incidents, badges) from the history",
        description=(
            "Writes DIR/index.html, DIR/status.json and DIR/badges/*.svg from the run history:"
            " uptime per check family and endpoint over 24 h / 7 d / 30 d / 90 d, P95 and"
            " error-rate trends, the incident timeline (the alert rules replayed over the runs)"
            " and badges. Self-contained: nothing loads from the network at view time."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument(
        "--history",
        metavar="PATH_OR_URL",
        help=f"SQLite file or postgresql:// URL [env: {HISTORY_ENV_VAR}]",
    )
    parser.add_argument(
        "--env",
        help="environment to show (default: the newest run's); its environment file, when"
        " found, supplies the alert tuning, budgets and runbook links",
    )
    parser.add_argument(
        "--target",
        help="which target of the environment (its base URL, as `synthcheck history --runs`"
        " shows it; default: the newest run's): runs against other hosts are kept apart",
    )
    parser.add_argument("--env-dir", type=Path, default=None, metavar="DIR")
    parser.add_argument(
        "--now", type=float, default=None, metavar="EPOCH", help="end of the windows (default: now)"
    )


def _environment(name: str, env_dir: Path) -> Environment | None:
    """The environment file of that name, when there is one (a bad one is an error)."""
    try:
        find_environment_file(name, env_dir)
    except ConfigError:
        return None  # history of an environment this checkout has no file for
    return load_environment(name, env_dir)


def run(ns: argparse.Namespace, default_env_dir: Path) -> int:
    location = history_location(ns, default_env_dir, "status-page")
    if location is None:
        return 2
    if "://" not in location and not Path(location).is_file():
        print(f"synthcheck status-page: no history at {location}", file=sys.stderr)
        return 2
    now = ns.now if ns.now is not None else time.time()
    with open_store(location) as store:
        env_name, target = ns.env, ns.target
        if env_name is None or target is None:
            newest = store.runs(env_name, target=target, limit=1, with_checks=False)
            if not newest:
                what = f"runs of {env_name!r}" if env_name else "runs"
                print(f"synthcheck status-page: {location} holds no {what}", file=sys.stderr)
                return 2
            env_name, target = newest[0].env, newest[0].target
        runs = store.runs(env_name, target=target, since=now - _LOOKBACK_S, until=now)
    if not runs:
        print(
            f"synthcheck status-page: no runs of {env_name!r} against {target} in the last"
            f" 90 days in {location}",
            file=sys.stderr,
        )
        return 2
    try:
        env = _environment(env_name, ns.env_dir or default_env_dir)
    except ConfigError as exc:
        print(f"synthcheck status-page: {exc}", file=sys.stderr)
        return 2
    rules = configured_rules(env.alerts) if env else list(DEFAULT_RULES)
    data = build_status(runs, rules, now=now)
    written = write_site(
        ns.out,
        data,
        runbook_link=env.runbook_link if env else (lambda anchor: f"#{anchor}"),
        p95_budget_ms=env.budgets.p95_ms if env else None,
        error_budget=env.budgets.error_rate if env else None,
    )
    print(f"status page: {ns.out / 'index.html'} ({len(written)} files, {len(runs)} runs)")
    return 0
