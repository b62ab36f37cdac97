"""``synthcheck scan PATH...``: the pre-deploy gate for repository trees and build output.

Exit codes: 0 nothing found, 1 at least one finding (after the allowlist), 2 usage
error (bad flag, missing path, bad allowlist).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from synthcheck.config import DEFAULT_SECRET_ENV, ConfigError
from synthcheck.leaks import KNOWN_RULE, RULES, LeakScanner, rule_ids
from synthcheck.scan.allowlist import Allowlist, load_allowlist
from synthcheck.scan.baseline import write_baseline
from synthcheck.scan.files import ScanReport, scan_paths
from synthcheck.scan.formats import FORMATS, render
from synthcheck.scan.history import GitError, is_git_tree, scan_history
from synthcheck.scan.workers import MAX_AUTO_JOBS, available_cpus
from synthcheck.secrets import KnownSecrets

__all__ = ["add_parser", "main", "run"]

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = sub.add_parser(
        "scan",
        help="scan files and trees for keys and secrets (exit 1 when anything is found)",
        description=(
            "Scan files for secrets: the values of FRED_API_KEY, ALPHA_VANTAGE_API_KEY (and"
            " --secret-env variables) when set, in any encoding, and secret-shaped values"
            " (FRED and Alpha Vantage keys in context, also cut short or starred out; AWS,"
            " GitHub, GitLab, Slack, Stripe, Google, OpenAI, SendGrid, Twilio, npm, PyPI,"
            " Docker Hub, Azure, private keys, JWTs, credentials in URLs, token headers,"
            " passwords and secrets in .env/YAML/TOML/JSON), also percent-, base64-, hex-,"
            " HTML- or JSON-encoded. --git also scans the lines every commit added."
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
    scan.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="scan files in N processes (default: the available CPUs, at most"
        f" {MAX_AUTO_JOBS}; 1 = in this process; used only for trees of 2 MiB or more)",
    )
    scan.add_argument(
        "--git",
        nargs="?",
        const="HEAD",
        metavar="REV-RANGE",
        help="also scan the lines added by every commit of REV-RANGE (default HEAD) of the"
        " repository holding the first PATH (default: the working directory)",
    )
    scan.add_argument(
        "--git-max-commits",
        type=int,
        default=10_000,
        metavar="N",
        help="with --git: scan at most the last N commits (default 10000)",
    )
    scan.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="accept the findings recorded in FILE (written by --write-baseline)",
    )
    scan.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record every finding's fingerprint in FILE (no secret stored) and exit 0",
    )
    scan.add_argument("--list-rules", action="store_true", help="print the rules and exit")


def main(argv: Sequence[str]) -> int:
    """``synthcheck scan ARGS`` without importing the rest of the CLI (pytest, plugins).

    ``python -m synthcheck scan`` comes here: a pre-commit hook or CI step that scans a
    tree should not pay for loading the test harness first.
    """
    parser = argparse.ArgumentParser(prog="synthcheck")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser(sub)
    try:
        ns = parser.parse_args(["scan", *argv])
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    return run(ns)


def _usage(message: str) -> int:
    print(f"synthcheck scan: {message}", file=sys.stderr)
    return EXIT_USAGE


def _list_rules() -> int:
    print(f"{KNOWN_RULE:<26} a value of a known secret variable (set in the environment)")
    for rule in RULES:
        print(f"{rule.id:<26} {rule.title} [{rule.kind}]")
    return EXIT_CLEAN


def _load(path: Path | None, what: str) -> Allowlist:
    if path is None:
        return Allowlist()
    if what == "baseline" and not path.exists():
        return Allowlist()  # no baseline yet: nothing accepted
    return load_allowlist(path, [KNOWN_RULE, *rule_ids()])


def run(ns: argparse.Namespace) -> int:
    if ns.list_rules:
        return _list_rules()
    if not ns.paths and ns.git is None:
        return _usage("give at least one PATH to scan (or --git for the history)")
    missing = [str(p) for p in ns.paths if not p.exists()]
    if missing:
        return _usage(f"no such file or directory: {', '.join(missing)}")
    if ns.max_file_size <= 0:
        return _usage("--max-file-size must be positive")
    if ns.git_max_commits <= 0:
        return _usage("--git-max-commits must be positive")
    if ns.jobs is not None and ns.jobs <= 0:
        return _usage("--jobs must be a positive number of processes")
    try:
        allowlist = _load(ns.allowlist, "allowlist").merged(_load(ns.baseline, "baseline"))
    except ConfigError as exc:
        return _usage(f"invalid allowlist: {exc}")
    secrets = KnownSecrets.from_environ([*DEFAULT_SECRET_ENV, *ns.secret_env], os.environ)
    scanner = LeakScanner(secrets, deep=ns.deep)
    report = (
        scan_paths(
            ns.paths,
            scanner,
            allowlist=allowlist,
            excludes=ns.exclude,
            max_file_bytes=int(ns.max_file_size * 1024 * 1024),
            jobs=ns.jobs or min(available_cpus(), MAX_AUTO_JOBS),
        )
        if ns.paths
        else ScanReport()
    )
    if ns.git is not None:
        root = ns.paths[0] if ns.paths else Path.cwd()
        if not is_git_tree(root):
            return _usage(f"--git: {root} is not inside a git repository")
        try:
            scan_history(
                root,
                scanner,
                rev_range=ns.git,
                allowlist=allowlist,
                max_commits=ns.git_max_commits,
                excludes=ns.exclude,
                report=report,
            )
        except GitError as exc:
            return _usage(f"--git {ns.git}: {exc}")
    if ns.write_baseline:
        added = write_baseline(ns.write_baseline, report.findings)
        print(
            f"synthcheck scan: {len(report.findings)} finding(s) recorded in {ns.write_baseline}"
            f" ({added} new); review it, then pass it with --baseline",
            file=sys.stderr,
        )
        return EXIT_CLEAN
    document = render(report.findings, ns.format)
    if ns.output:
        ns.output.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    for note in report.skipped:
        print(f"synthcheck scan: skipped {note}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return EXIT_FOUND if report.findings else EXIT_CLEAN
