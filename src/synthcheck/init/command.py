"""``synthcheck init --base-url URL --name NAME``: an environment file for a running service.

The command: its flags, the checks of their values, and the output; what it sends is
in survey.py, what it proposes from the answers in build.py.

Exit codes: 0 written, 1 the service did not answer at all (or answered no health,
ready, live or data path), 2 usage (bad flag, the file exists without --force, an
unreadable OpenAPI document), 3 the file written does not load (a bug of init).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from synthcheck.config import DEFAULT_SECRET_ENV
from synthcheck.init.build import build
from synthcheck.init.discover import DISCOVERY_HTTP, Prober
from synthcheck.init.openapi import OpenApiError, parse_document
from synthcheck.init.survey import discover
from synthcheck.init.write import InitBug, validate, write_files
from synthcheck.probe import RecordingClient

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "init",
        help="write environments/NAME.toml for a running service (GET-only discovery)",
        description=(
            "Discovers the health, ready and live paths of a running service and their"
            " formats, the data endpoint (from an OpenAPI document's GET examples, or the"
            " runbook's /api/fred-data?series=UNRATE), measures a first latency to propose"
            " timeouts, writes JSON Schemas of the answers seen and the environment file,"
            " and validates it. Only GET requests, bounded; no secret is written."
        ),
    )
    parser.add_argument("--base-url", required=True, metavar="URL")
    parser.add_argument("--name", required=True, help="environment name (the file's name)")
    parser.add_argument(
        "--openapi", metavar="FILE_OR_URL", help="OpenAPI/Swagger document (JSON; YAML with pyyaml)"
    )
    parser.add_argument("--env-dir", type=Path, default=None, metavar="DIR")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--max-requests", type=int, default=60, metavar="N", help="cap on requests sent (60)"
    )


def _secret_values() -> dict[str, str]:
    return {
        name: os.environ[name] for name in DEFAULT_SECRET_ENV if len(os.environ.get(name, "")) >= 8
    }


def _load_openapi(source: str) -> dict[str, Any]:
    if urlsplit(source).scheme in ("http", "https"):
        try:
            response = httpx.get(source, timeout=5.0, follow_redirects=False, trust_env=False)
        except httpx.HTTPError:
            raise OpenApiError(f"--openapi {source}: no answer") from None
        if response.status_code != 200:
            raise OpenApiError(f"--openapi {source}: HTTP {response.status_code}")
        return parse_document(response.text, f"--openapi {source}")
    path = Path(source)
    if not path.is_file():
        raise OpenApiError(f"--openapi {source}: no such file")
    return parse_document(path.read_text(encoding="utf-8", errors="replace"), str(path))


def _usage(message: str) -> int:
    print(f"synthcheck init: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(
    ns: argparse.Namespace,
    default_env_dir: Path,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """The command; ``transport`` replaces the network (in-process tests)."""
    base_url = str(ns.base_url).rstrip("/")
    if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).hostname:
        return _usage(f"--base-url {ns.base_url!r} is not an http(s) URL")
    if not _NAME.match(ns.name):
        return _usage(f"--name {ns.name!r}: letters, digits, '.', '_' and '-' only")
    if ns.max_requests < 10:
        return _usage("--max-requests must be at least 10")
    env_path = (ns.env_dir or default_env_dir) / f"{ns.name}.toml"
    if env_path.exists() and not ns.force:
        return _usage(f"{env_path} exists; pass --force to overwrite it")
    try:
        openapi = _load_openapi(ns.openapi) if ns.openapi else None
    except OpenApiError as exc:
        return _usage(str(exc))
    client = RecordingClient(DISCOVERY_HTTP, transport=transport)
    prober = Prober(base_url, max_requests=ns.max_requests, client=client)
    result = asyncio.run(discover(prober, openapi))
    print(f"synthcheck init: {base_url} ({result.sent} GET requests, {result.answered} answered)")
    if result.answered == 0:
        print(f"synthcheck init: {base_url} did not answer: {result.first_error}", file=sys.stderr)
        return EXIT_NOT_FOUND
    for note in result.notes:
        print(f"  {note}")
    doc, schemas, lines = build(ns.name, base_url, result, _secret_values())
    print("\n".join(lines))
    if not result.found:
        print("synthcheck init: no health, ready, live or data endpoint found", file=sys.stderr)
        return EXIT_NOT_FOUND
    written = write_files(env_path, doc, schemas)
    try:
        validate(env_path)
    except InitBug as exc:
        print(f"synthcheck init: {exc}", file=sys.stderr)
        return EXIT_BUG
    for path in written:
        print(f"wrote {path}")
    print(f"verify with: ./scripts/deploy-verify.sh --env={env_path}")
    return EXIT_OK
