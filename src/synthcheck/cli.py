"""``synthcheck``: the command line (``deploy-verify.sh`` calls ``synthcheck verify``).

Each subcommand lives in its own module; this one parses the arguments and
dispatches. The exit codes are a contract, written in :mod:`synthcheck.verify`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from synthcheck import __version__, load_command, prometheus_rules_command, verify
from synthcheck.config import ConfigError, load_environment
from synthcheck.config.options import default_env_dir
from synthcheck.history import cli as history_command
from synthcheck.init import command as init_command
from synthcheck.scan import command as scan_command
from synthcheck.statuspage import command as status_page_command
from synthcheck.verify import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PROJECT_ROOT

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synthcheck", description="Runbook checks and deploy verification for a FRED backend."
    )
    parser.add_argument("--version", action="version", version=f"synthcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verify.add_parser(sub)
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
        return history_command.run(ns, default_env_dir(PROJECT_ROOT))
    if ns.command == "prometheus-rules":
        return prometheus_rules_command.run(ns, default_env_dir(PROJECT_ROOT))
    if ns.command == "status-page":
        return status_page_command.run(ns, default_env_dir(PROJECT_ROOT))
    if ns.command == "init":
        return init_command.run(ns, default_env_dir(PROJECT_ROOT))
    try:
        if ns.command == "load":
            return load_command.run(ns, extra)
        return verify.run(ns, extra)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
