"""``synthcheck prometheus-rules``: write the runbook's alerts as a Prometheus rules file.

Exit codes: 0 written, 2 usage or configuration error (bad flag, bad environment file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synthcheck.alerts import configured_rules
from synthcheck.config import ConfigError, load_environment
from synthcheck.prometheus_rules import prometheus_rules, render_rules_file

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "prometheus-rules",
        help="write the runbook's alert windows as a Prometheus alerting-rules file",
        description=(
            "Alerting rules over the metrics synthcheck exports (textfile or Pushgateway):"
            " the same rules, windows and thresholds as the harness's own alerts, with the"
            " environment's [alerts.<rule>] tuning applied and runbook links as annotations."
            " Check the result with `promtool check rules FILE`."
        ),
    )
    parser.add_argument("--env", default="local", help="environment name or .toml path")
    parser.add_argument("--env-dir", type=Path, default=None, metavar="DIR")
    parser.add_argument(
        "--interval",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how often the canary runs (default 300): runs-in-a-row rules and the"
        " staleness alert are expressed in it",
    )
    parser.add_argument("--output", type=Path, help="write here instead of stdout")


def run(ns: argparse.Namespace, default_env_dir: Path) -> int:
    if ns.interval <= 0:
        print(
            f"synthcheck prometheus-rules: --interval must be > 0 (got {ns.interval:g})",
            file=sys.stderr,
        )
        return 2
    try:
        env = load_environment(ns.env, ns.env_dir or default_env_dir)
    except ConfigError as exc:
        print(f"synthcheck prometheus-rules: {exc}", file=sys.stderr)
        return 2
    rules = prometheus_rules(configured_rules(env.alerts), env.runbook_link, interval_s=ns.interval)
    text = render_rules_file(rules, source=f"environment {env.name}")
    if ns.output is None:
        sys.stdout.write(text)
        return 0
    ns.output.parent.mkdir(parents=True, exist_ok=True)
    ns.output.write_text(text, encoding="utf-8")
    print(f"rules: {ns.output} ({len(rules)} alerts)")
    return 0
