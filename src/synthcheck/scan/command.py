"""``synthcheck scan PATH...``: the pre-deploy gate for repository trees and build output.

Exit codes: 0 nothing found, 1 at least one finding (after the allowlist), 2 usage
error (bad flag, missing path, bad allowlist).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from synthcheck.config import ConfigError
from synthcheck.leaks import KNOWN_RULE, RULES, LeakScanner, rule_ids
from synthcheck.scan.allowlist import load_allowlist
from synthcheck.scan.files import scan_paths
from synthcheck.scan.formats import FORMATS, render
from synthcheck.secrets import KnownSecrets

__all__ = ["add_parser", "run"]

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
DEFAULT_SECRET_ENV = ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = sub.add_parser(
        "scan",
        help="scan files and trees for keys and secrets (exit 1 when anything is found)",
        description=(
            "Scan files for secrets: the values of FRED_API_KEY, ALPHA_VANTAGE_API_KEY (and"
            " --secret-env variables) when set, in any encoding, and secret-shaped values"
            " (FRED and Alpha Vantage keys in context, AWS, GitHub, Slack, Stripe, Google,"
            " private keys, JWTs, credentials in URLs, bearer and basic tokens)."
            " .git/ and a top-level reports/ are skipped unless named."
            " Exit 0 clean, 1 findings, 2 usage error."
        ),
    )
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    scan.add_argument("--format", choices=FORMATS, default="text", help="output (default: text)")
    scan.add_argument("--output", type=Path, help="write the report here instead of stdout")
    scan.add_argument("--allowlist", type=Path, help="TOML file of accepted findings")
    scan.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="skip matching paths"
    )
    scan.add_argument(
        "--secret-env",
        action="append",
        default=[],
        metavar="NAME",
        help="another variable whose value must not appear (repeatable)",
    )
    scan.add_argument(
        "--deep",
        action="store_true",
        help="also decode every base64 token (finds partial keys inside base64; slower)",
    )
    scan.add_argument(
        "--max-file-size",
        type=float,
        default=512.0,
        metavar="MB",
        help="skip larger files (default 512); big files are read in bounded pieces",
    )
    scan.add_argument("--list-rules", action="store_true", help="print the rules and exit")


def _usage(message: str) -> int:
    print(f"synthcheck scan: {message}", file=sys.stderr)
    return EXIT_USAGE


def _list_rules() -> int:
    print(f"{KNOWN_RULE:<26} a value of a known secret variable (set in the environment)")
    for rule in RULES:
        print(f"{rule.id:<26} {rule.title} [{rule.kind}]")
    return EXIT_CLEAN


def run(ns: argparse.Namespace) -> int:
    if ns.list_rules:
        return _list_rules()
    if not ns.paths:
        return _usage("give at least one PATH to scan")
    missing = [str(p) for p in ns.paths if not p.exists()]
    if missing:
        return _usage(f"no such file or directory: {', '.join(missing)}")
    if ns.max_file_size <= 0:
        return _usage("--max-file-size must be positive")
    try:
        allowlist = (
            load_allowlist(ns.allowlist, [KNOWN_RULE, *rule_ids()]) if ns.allowlist else None
        )
    except ConfigError as exc:
        return _usage(f"invalid allowlist: {exc}")
    secrets = KnownSecrets.from_environ([*DEFAULT_SECRET_ENV, *ns.secret_env], os.environ)
    report = scan_paths(
        ns.paths,
        LeakScanner(secrets, deep=ns.deep),
        allowlist=allowlist,
        excludes=ns.exclude,
        max_file_bytes=int(ns.max_file_size * 1024 * 1024),
    )
    document = render(report.findings, ns.format)
    if ns.output:
        ns.output.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    for note in report.skipped:
        print(f"synthcheck scan: skipped {note}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return EXIT_FOUND if report.findings else EXIT_CLEAN
