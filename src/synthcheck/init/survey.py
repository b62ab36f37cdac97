"""Everything ``synthcheck init`` sends: one bounded GET-only discovery of a service.

An unknown path first (a catch-all answers 2xx to anything), the OpenAPI document
if the service serves one, then the health, ready and live paths (discover.py), the
data endpoint (the OpenAPI document's GET examples, else the runbook's
``/api/fred-data?series=UNRATE``), and a few more GETs of each to measure latency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from synthcheck.init.discover import CANDIDATES, UNKNOWN_PATH, Found, Prober, find_role, sample
from synthcheck.init.openapi import DataOperation, OpenApiError, find_data_operation, parse_document
from synthcheck.probe import Exchange

__all__ = ["Discovery", "discover", "is_json_answer"]

OPENAPI_PATHS = ("/openapi.json", "/v3/api-docs", "/swagger.json")
RUNBOOK_DATA = ("/api/fred-data", (("series", ("UNRATE",)),))
SAMPLES = 5  # latency GETs per chosen endpoint, after the discovering one


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


def is_json_answer(exchange: Exchange) -> bool:
    parsed, _, _ = exchange.json_result
    return exchange.status is not None and 200 <= exchange.status < 300 and parsed


async def _openapi_from_service(prober: Prober, result: Discovery) -> dict[str, Any] | None:
    for path in OPENAPI_PATHS:
        exchange = await prober.get(path)
        if exchange is None or not is_json_answer(exchange):
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
        if is_json_answer(exchange):
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
