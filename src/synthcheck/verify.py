"""``synthcheck verify``: run the checks under pytest (what ``deploy-verify.sh`` runs).

The command line (:mod:`synthcheck.cli`) and ``synthcheck load``
(:mod:`synthcheck.load_command`) both run checks through :func:`run`: the pytest
arguments built from the run options, the output guard around pytest, and pytest's
exit code mapped onto the harness's contract.

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
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from synthcheck.config import DEFAULT_SECRET_ENV, ConfigError, load_environment
from synthcheck.config.options import OPTIONS, add_run_arguments, resolve_settings
from synthcheck.pytest_plugin import prefixed_flag
from synthcheck.pytest_startup import startup_args
from synthcheck.reporting.output_guard import OutputGuard

__all__ = [
    "EXIT_CODES",
    "EXIT_CRASH",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROJECT_ROOT",
    "add_parser",
    "guard_for",
    "pytest_args",
    "run",
]

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


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser(
        "verify",
        help="run the runbook checks against a service (what deploy-verify.sh runs)",
        description="Run the runbook checks. Extra pytest arguments go after `--`.",
    )
    add_run_arguments(verify)


def pytest_args(ns: argparse.Namespace, extra: Sequence[str]) -> list[str]:
    checks = ns.checks_dir or _default_checks_dir()
    # This process has imported synthcheck already, so pytest cannot rewrite the
    # plugin's asserts (it has none) and says so; that note is not a problem.
    args = [str(checks), "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    args += startup_args(own_checks=checks.resolve() == (PROJECT_ROOT / "checks").resolve())
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


def guard_for(get_option: Callable[[str], Any], rootdir: Path) -> OutputGuard:
    """The guard of one ``synthcheck verify`` run, for its environment's key names."""
    names: Sequence[str] = DEFAULT_SECRET_ENV
    try:
        settings = resolve_settings(get_option, rootdir)
        names = load_environment(settings.env, settings.env_dir).secret_env
    except (ConfigError, ValueError, OSError):
        pass  # pytest reports the bad option or file; the default names are still guarded
    return OutputGuard(names)


def run(ns: argparse.Namespace, extra: Sequence[str]) -> int:
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
        code = pytest.main(pytest_args(ns, extra), plugins=[guard])
    mapped = EXIT_CODES.get(pytest.ExitCode(code), EXIT_CRASH) if isinstance(code, int) else 3
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        suite = ns.suite or "the default suite"
        print(f"synthcheck: {suite!s} selects no checks in {checks}", file=sys.stderr)
    return guard.settle(mapped)
