"""The reference service's command line: ``python -m synthcheck.reference --help``."""

from __future__ import annotations

import argparse
from pathlib import Path

from synthcheck.reference.settings import DEFAULT_APP_VERSION

__all__ = ["build_parser", "parse_port"]


def parse_port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m synthcheck.reference",
        description="Reference FRED-data backend with a local FRED stub and switchable faults.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="listen address (loopback only by default)")
    add(
        "--port",
        type=parse_port,
        default=None,
        help="app port; 0 = free port (default: $PORT or 0)",
    )
    add("--upstream-port", type=parse_port, default=0, help="stub port; 0 = free port")
    add(
        "--fault",
        action="append",
        metavar="SPEC",
        default=None,
        help="enable a fault, `name` or `name:k=v,...`; repeatable; replaces $REFERENCE_FAULTS",
    )
    add(
        "--upstream-url",
        default=None,
        help="use this FRED-compatible upstream instead of starting the stub",
    )
    add("--stub-only", action="store_true", help="serve only the FRED stub (on --port)")
    add(
        "--log-file",
        type=Path,
        default=None,
        help="append the service log here (default: $REFERENCE_LOG_FILE or stderr)",
    )
    add("--app-version", default=DEFAULT_APP_VERSION, help="version reported by /api/health")
    add("--memory-limit-mb", type=_positive_int, default=512, help="memory.total in health")
    add("--cache-ttl", type=_non_negative_float, default=60.0, help="series cache TTL, seconds")
    add(
        "--upstream-timeout",
        type=_non_negative_float,
        default=3.0,
        help="timeout of one upstream request, seconds",
    )
    add("--seed", type=int, default=None, help="seed of the fault random generator")
    add(
        "--enable-fault-admin",
        action="store_true",
        help="enable GET/PUT /__faults__ to change faults at runtime",
    )
    add("--list-faults", action="store_true", help="print every fault and exit")
    add(
        "--allow-non-loopback",
        action="store_true",
        help="allow a non-loopback --host or upstream URL",
    )
    add(
        "--exit-after",
        type=_non_negative_float,
        default=None,
        help="stop by itself after this many seconds (a safety net for scripts)",
    )
    add(
        "--watch-stdin",
        action="store_true",
        help="stop when stdin reaches EOF (used by the launcher: parent died)",
    )
    return parser
