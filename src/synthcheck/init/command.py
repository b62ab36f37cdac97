"""``synthcheck init --base-url URL --name NAME``: an environment file for a running service.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from synthcheck.config import DEFAULT_SECRET_ENV
from synthcheck.init.discover import (
    CANDIDATES,
    DISCOVERY_HTTP,
    UNKNOWN_PATH,
    Found,
    Prober,
    describe_answer,
    find_role,
    sample,
)
from synthcheck.init.openapi import DataOperation, OpenApiError, find_data_operation, parse_document
from synthcheck.init.propose import (
    LIVE_BUDGETS,
    RUNBOOK_BUDGETS,
    EndpointProposal,
    nearest_rank,
    propose_environment,
    propose_timeouts,
)
from synthcheck.init.schemas import infer_schema
from synthcheck.init.write import InitBug, validate, write_files
from synthcheck.probe import Exchange, RecordingClient

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
OPENAPI_PATHS = ("/openapi.json", "/v3/api-docs", "/swagger.json")
RUNBOOK_DATA = ("/api/fred-data", (("series", ("UNRATE",)),))
SAMPLES = 5  # latency GETs per chosen endpoint, after the discovering one
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SPECIFIC_FORMATS = ("runbook", "ietf", "actuator", "aspnet", "kubernetes")


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


@dataclass
class Discovery:
    found: dict[str, Found] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sent: int = 0
    answered: int = 0
    first_error: str = ""


def _query_path(path: str, params: Sequence[tuple[str, Sequence[str]]], index: int = 0) -> str:
    if not params:
        return path
    pairs = [(k, v[min(index, len(v) - 1)]) for k, v in params]
    return f"{path}?{urlencode(pairs)}"


def _is_json_answer(exchange: Exchange) -> bool:
    parsed, _, _ = exchange.json_result
    return exchange.status is not None and 200 <= exchange.status < 300 and parsed


async def _openapi_from_service(prober: Prober, result: Discovery) -> dict[str, Any] | None:
    for path in OPENAPI_PATHS:
        exchange = await prober.get(path)
        if exchange is None or not _is_json_answer(exchange):
            continue
        try:
            doc = parse_document(exchange.text, path)
        except OpenApiError:
            continue
        result.notes.append(f"OpenAPI document found at {path}")
        return doc
    return None


async def _data(prober: Prober, doc: dict[str, Any] | None) -> tuple[Found | None, list[str]]:
    misses: list[str] = []
    operation: DataOperation | None = None
    if doc is not None:
        findings = find_data_operation(doc)
        misses += findings.skipped
        operation = findings.operation
        if operation is None:
            misses.append("the OpenAPI document has no GET operation with example values")
    path, params = (operation.path, operation.params) if operation else RUNBOOK_DATA
    answers: list[tuple[int, str, Exchange]] = []
    for index in range(max((len(v) for _, v in params), default=1)):
        request = _query_path(path, params, index)
        exchange = await prober.get(request)
        if exchange is None:
            break
        if _is_json_answer(exchange):
            answers.append((index, request, exchange))
        else:
            misses.append(f"{request}: {exchange.describe()}, not a JSON answer")
    if not answers:
        return None, misses
    # Only the values that answered are kept: a value the service refuses would fail.
    kept = tuple(
        (name, tuple(dict.fromkeys(values[min(i, len(values) - 1)] for i, _, _ in answers)))
        for name, values in params
    )
    return Found("data", answers[0][1], [e for _, _, e in answers], kept), misses


async def discover(prober: Prober, openapi: dict[str, Any] | None) -> Discovery:
    """Every GET init sends, through ``prober`` (which it closes)."""
    result = Discovery()
    try:
        first = await prober.get(UNKNOWN_PATH)
        if first is not None and not first.answered:
            result.first_error = first.error.message if first.error else "no answer"
            return result
        catch_all = bool(first and first.status is not None and 200 <= first.status < 300)
        if catch_all:
            result.notes.append("unknown paths answer 2xx: a body must carry a status")
        doc = openapi if openapi is not None else await _openapi_from_service(prober, result)
        extra = find_data_operation(doc).health_paths if doc is not None else []
        taken: set[str] = set()
        for role in ("health", "ready", "live"):
            own = [p for p in extra if role in p.lower() or (role == "health" and "status" in p)]
            paths = list(dict.fromkeys([*own, *CANDIDATES[role]]))
            found, misses = await find_role(prober, role, paths, catch_all=catch_all, taken=taken)
            result.misses[role] = misses
            if found is not None:
                result.found[role] = found
                taken.add(found.path)
        data, misses = await _data(prober, doc)
        result.misses["data"] = misses
        if data is not None:
            result.found["data"] = data
        for found in result.found.values():
            await sample(prober, found, SAMPLES)
    finally:
        result.sent, result.answered = prober.sent, prober.answered
        await prober.aclose()
    return result


def _secret_values() -> dict[str, str]:
    return {
        name: os.environ[name] for name in DEFAULT_SECRET_ENV if len(os.environ.get(name, "")) >= 8
    }


def _p95(found: Found) -> float | None:
    latencies = found.latencies_ms()
    return nearest_rank(latencies, 0.95) if latencies else None


def _non_json_type(exchange: Exchange) -> str:
    kind = exchange.content_type
    return "" if not kind or kind.endswith("json") else kind


def build(
    name: str, base_url: str, result: Discovery, secrets: dict[str, str]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    """The environment document, its schemas (by relative path) and report lines."""
    lines: list[str] = []
    schemas: dict[str, dict[str, Any]] = {}
    proposals: list[EndpointProposal] = []
    health_format = ""
    p95s: list[float] = []
    for role in ("health", "ready", "live", "data"):
        found = result.found.get(role)
        if found is None:
            lines.append(f"  {role:<6}  not found")
            lines += [f"          tried {miss}" for miss in result.misses.get(role, [])]
            continue
        first = found.first
        p95 = _p95(found)
        if p95 is not None:
            p95s.append(p95)
        n = len(found.latencies_ms())
        timing = f"P95 {p95:.0f} ms (n={n})" if p95 is not None else "no latency measured"
        lines.append(f"  {role:<6}  GET {found.path}: {describe_answer(first)}; {timing}")
        for value_name, value in secrets.items():
            if any(value in e.text for e in found.exchanges):
                lines.append(f"          its answer holds the value of ${value_name}: not copied")
        if first.status is not None and first.status >= 300:
            lines.append(f"          it answered {first.status}: the service reports a failure now")
        bodies = [e.json() for e in found.exchanges if _is_json_answer(e)]
        schema = ""
        if bodies:
            schema = f"schemas/{name}.{role}.schema.json"
            title = f"{role} answer of {base_url} (GET {found.path.split('?')[0]})"
            schemas[schema] = infer_schema(bodies, title, list(secrets.values()))
        elif role == "health":
            schema = "builtin:health"
        fmt = found.format
        if role == "health" and fmt in _SPECIFIC_FORMATS:
            health_format = fmt
        budgets = None
        if role == "live" and p95 is not None and p95 < LIVE_BUDGETS["p95_ms"] / 2:
            budgets = dict(LIVE_BUDGETS)
        elif role == "live":
            lines.append("          live is too slow for a 100 ms budget: the global one applies")
        proposals.append(
            EndpointProposal(
                role=role,
                path=found.path.split("?")[0],
                params=found.params,
                schema=schema,
                content_type="" if role == "health" else _non_json_type(first),
                budgets=budgets,
            )
        )
    timeouts = propose_timeouts(max(p95s) if p95s else None)
    lines.append(
        f"  timeouts  connect {timeouts.connect_s:g} s, read {timeouts.read_s:g} s,"
        f" total {timeouts.total_s:g} s (observed P95 {max(p95s, default=0):.0f} ms)"
    )
    for role, found in result.found.items():
        p95 = _p95(found)
        limit = RUNBOOK_BUDGETS["liveness_ms"] if role == "live" else RUNBOOK_BUDGETS["p95_ms"]
        if p95 is not None and p95 > limit:
            lines.append(
                f"  note: {role} already answers above the runbook's {limit} ms"
                f" (P95 {p95:.0f} ms): the verification will fail on latency"
            )
    doc = propose_environment(
        name=name,
        base_url=base_url,
        endpoints=proposals,
        timeouts=timeouts,
        health_format=health_format,
        secret_env=DEFAULT_SECRET_ENV,
    )
    return doc, schemas, lines


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
