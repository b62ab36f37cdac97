"""What one reference-service process will serve, decided from its arguments and environment.

The parsed command line and the environment (``PORT``, ``REFERENCE_FAULTS``,
``FRED_BASE_URL``, ``FRED_API_KEY``…) become one ``ServePlan``; nothing is bound or
started here, so every rule (loopback only, generated keys, an ignored remote
upstream) is testable in-process.
"""

from __future__ import annotations

import argparse
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from synthcheck.reference.fault_specs import FaultSpecError, parse_fault_specs
from synthcheck.reference.faults import ActiveFault
from synthcheck.reference.serve_args import parse_port
from synthcheck.reference.settings import (
    DEFAULT_ALPHA_VANTAGE_BASE_URL,
    Settings,
    generate_alpha_vantage_key,
    generate_fred_key,
)

__all__ = ["ServePlan", "UsageError", "make_plan"]


class UsageError(Exception):
    """Bad arguments or environment: reported on stderr, exit code 2."""


@dataclass
class ServePlan:
    host: str
    port: int
    upstream_port: int
    upstream_url: str | None  # None: start the stub
    stub_only: bool
    faults: list[ActiveFault]
    seed: int | None
    log_file: Path | None
    settings: Settings
    exit_after: float | None = None
    watch_stdin: bool = False
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _env_port(env: Mapping[str, str]) -> int:
    raw = env.get("PORT", "").strip()
    if not raw:
        return 0
    try:
        return parse_port(raw)
    except (ValueError, argparse.ArgumentTypeError):
        raise UsageError(f"PORT must be a port number 0..65535, got {raw!r}") from None


def make_plan(args: argparse.Namespace, env: Mapping[str, str]) -> ServePlan:
    notes: list[tuple[str, dict[str, Any]]] = []
    host = "127.0.0.1" if args.host == "localhost" else args.host
    if not _is_loopback(host) and not args.allow_non_loopback:
        raise UsageError(
            f"refusing to listen on non-loopback host {args.host!r}; "
            "pass --allow-non-loopback to do it anyway"
        )
    specs: Sequence[str] = (
        args.fault if args.fault is not None else [env.get("REFERENCE_FAULTS", "")]
    )
    try:
        faults = parse_fault_specs(specs)
    except FaultSpecError as exc:
        raise UsageError(str(exc)) from None

    upstream_url = _choose_upstream(args, env, notes)
    fred_key = env.get("FRED_API_KEY", "").strip()
    if not fred_key:
        fred_key = generate_fred_key()
        notes.append(
            (
                "generated_api_key",
                {"variable": "FRED_API_KEY", "reason": "not set; using a random well-formed key"},
            )
        )
    av_key = env.get("ALPHA_VANTAGE_API_KEY", "").strip()
    if not av_key:
        av_key = generate_alpha_vantage_key()
        notes.append(
            (
                "generated_api_key",
                {"variable": "ALPHA_VANTAGE_API_KEY", "reason": "not set; using a random key"},
            )
        )
    log_file = args.log_file or (
        Path(env["REFERENCE_LOG_FILE"]) if env.get("REFERENCE_LOG_FILE") else None
    )
    settings = Settings(
        fred_api_key=fred_key,
        fred_base_url=upstream_url or "",  # filled in once the stub's port is known
        alpha_vantage_api_key=av_key,
        alpha_vantage_base_url=env.get("ALPHA_VANTAGE_BASE_URL", "").strip()
        or DEFAULT_ALPHA_VANTAGE_BASE_URL,
        app_version=args.app_version,
        memory_limit_mb=args.memory_limit_mb,
        cache_ttl=args.cache_ttl,
        upstream_timeout=args.upstream_timeout,
        enable_fault_admin=args.enable_fault_admin,
    )
    return ServePlan(
        host=host,
        port=args.port if args.port is not None else _env_port(env),
        upstream_port=args.upstream_port,
        upstream_url=upstream_url,
        stub_only=args.stub_only,
        faults=faults,
        seed=args.seed,
        log_file=log_file,
        settings=settings,
        exit_after=args.exit_after,
        watch_stdin=args.watch_stdin,
        notes=notes,
    )


def _choose_upstream(
    args: argparse.Namespace, env: Mapping[str, str], notes: list[tuple[str, dict[str, Any]]]
) -> str | None:
    """--upstream-url, else $FRED_BASE_URL if it is loopback, else None (start the stub).

    A non-loopback $FRED_BASE_URL (say the real FRED, exported for the verifier)
    is ignored rather than called: the embedded service must work offline and
    never send traffic off the machine unless explicitly allowed.
    """
    if args.stub_only:
        return None
    if args.upstream_url:
        url = str(args.upstream_url).rstrip("/")
        if not _is_loopback(urlsplit(url).hostname or "") and not args.allow_non_loopback:
            raise UsageError(
                f"refusing non-loopback --upstream-url {url!r}; pass --allow-non-loopback"
            )
        return url
    env_url = env.get("FRED_BASE_URL", "").strip().rstrip("/")
    if not env_url:
        return None
    if _is_loopback(urlsplit(env_url).hostname or "") or args.allow_non_loopback:
        return env_url
    notes.append(
        (
            "ignored_upstream",
            {
                "variable": "FRED_BASE_URL",
                "reason": "not loopback; starting the local stub instead",
            },
        )
    )
    return None
