"""``synthcheck``: the command line (``deploy-verify.sh`` calls ``synthcheck verify``).

Exit codes (a contract; CI pipelines and the deploy script depend on them):
  0  every check passed (warnings allowed)
  1  at least one check failed: roll the deployment back
  2  usage or configuration error (bad flag, bad environment file, empty suite)
  3  the harness itself crashed: treat as "not verified"
  130 interrupted (Ctrl-C / SIGTERM); the reports written so far are kept
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import pytest

from synthcheck import __version__, prometheus_rules_command
from synthcheck.config import ConfigError, load_environment
from synthcheck.history import cli as history_command
from synthcheck.init import command as init_command
from synthcheck.leaks.output import guard_for
from synthcheck.load import command as load_command
from synthcheck.options import OPTIONS, add_run_arguments, default_env_dir
from synthcheck.pytest_plugin import prefixed_flag
from synthcheck.scan import command as scan_command
from synthcheck.statuspage import command as status_page_command

__all__ = ["EXIT_CODES", "main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

EXIT_CODES = {
    pytest.ExitCode.OK: EXIT_OK,
    pytest.ExitCode.TESTS_FAILED: EXIT_FAILED,
    pytest.ExitCode.INTERRUPTED: EXIT_INTERRUPTED,
    pytest.ExitCode.INTERNAL_ERROR: EXIT_CRASH,
    pytest.ExitCode.USAGE_ERROR: EXIT_USAGE,
    pytest.ExitCode.NO_TESTS_COLLECTED: EXIT_USAGE,
}

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_checks_dir() -> Path:
    here = Path.cwd() / "checks"
    return here if (here / "conftest.py").is_file() else PROJECT_ROOT / "checks"


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser(
        "verify",
        help="run the runbook checks against a service (what deploy-verify.sh runs)",
        description="Run the runbook checks. Extra pytest arguments go after `--`.",
    )
    add_run_arguments(verify)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synthcheck", description="Runbook checks and deploy verification for a FRED backend."
    )
    parser.add_argument("--version", action="version", version=f"synthcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_verify(sub)
    load_command.add_parser(sub)
    scan_command.add_parser(sub)
    history_command.add_parser(sub)
    prometheus_rules_command.add_parser(sub)
    status_page_command.add_parser(sub)
    init_command.add_parser(sub)
    sub.add_parser(
        "serve",
        help="run the embedded reference service (its flags: synthcheck serve --help)",
        add_help=False,
    )
    check_env = sub.add_parser("check-env", help="validate environment files (exit 0 or 2)")
    check_env.add_argument("names", nargs="+", metavar="NAME_OR_PATH")
    check_env.add_argument("--env-dir", type=Path, default=None)
    return parser


def _pytest_args(ns: argparse.Namespace, extra: Sequence[str]) -> list[str]:
    checks = ns.checks_dir or _default_checks_dir()
    # This process has imported synthcheck already, so pytest cannot rewrite the
    # plugin's asserts (it has none) and says so; that note is not a problem.
    args = [str(checks), "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    for option in OPTIONS:
        value = getattr(ns, option.dest)
        if value is None or value is False:
            continue
        # The prefixed names are always synthcheck's (another plugin may own --timeout);
        # --base-url is synthcheck's or pytest-base-url's, and read from either.
        flag = option.flag if option.dest == "base_url" else prefixed_flag(option)
        if option.switch:
            args.append(flag)
            continue
        for item in value if option.multiple else [value]:
            args.append(f"{flag}={item}")
    return args + list(extra)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def verify(ns: argparse.Namespace, extra: Sequence[str]) -> int:
    checks = ns.checks_dir or _default_checks_dir()
    if not (checks / "conftest.py").is_file():
        print(f"synthcheck: no check suites at {checks} (use --checks-dir)", file=sys.stderr)
        return EXIT_USAGE
    # SIGTERM (CI cancelling a job) takes the same clean path as Ctrl-C: the embedded
    # service is stopped and the reports written so far are kept.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    # Everything pytest prints passes the redaction step; a key that still reaches
    # the terminal fails the run (key_leak in summary.json and the history, exit 1):
    # the plugin reads the guard's findings before it freezes the summary.
    guard = guard_for(lambda dest: getattr(ns, dest, None), PROJECT_ROOT)
    with guard:
        code = pytest.main(_pytest_args(ns, extra), plugins=[guard])
    mapped = EXIT_CODES.get(pytest.ExitCode(code), EXIT_CRASH) if isinstance(code, int) else 3
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        suite = ns.suite or "the default suite"
        print(f"synthcheck: {suite!s} selects no checks in {checks}", file=sys.stderr)
    return guard.settle(mapped)


def check_env(names: Sequence[str], env_dir: Path | None) -> int:
    directory = env_dir or default_env_dir(PROJECT_ROOT)
    status = EXIT_OK
    for name in names:
        try:
            env = load_environment(name, directory)
        except ConfigError as exc:
            print(f"invalid: {exc}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(
            f"ok: {env.source} ({env.name}, {len(env.endpoints)} endpoints,"
            f" base_url {env.base_url})"
        )
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        # The reference service has its own flags; hand them over untouched.
        from synthcheck.reference.server import main as serve_main

        return serve_main([a for a in args[1:] if a != "--"])
    extra: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, extra = args[:cut], args[cut + 1 :]
    parser = _build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    if ns.command == "check-env":
        return check_env(ns.names, ns.env_dir)
    if ns.command == "scan":
        return scan_command.run(ns)
    if ns.command == "history":
        return history_command.run(ns)
    if ns.command == "prometheus-rules":
        return prometheus_rules_command.run(ns, default_env_dir(PROJECT_ROOT))
    if ns.command == "status-page":
        return status_page_command.run(ns, default_env_dir(PROJECT_ROOT))
    if ns.command == "init":
        return init_command.run(ns, default_env_dir(PROJECT_ROOT))
    try:
        if ns.command == "load":
            return load_command.run(ns, extra)
        return verify(ns, extra)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
