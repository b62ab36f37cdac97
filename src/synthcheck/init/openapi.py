"""The data endpoint from an OpenAPI document: GET operations with examples only.

Nothing unsafe is ever sent: only ``get`` operations are considered, a parameter's
values come only from the document (``example``, ``examples``, ``x-example``,
``enum``; never ``default`` and never a guess), an operation with a required
parameter that has none of those, a required header or cookie, or a security
requirement is skipped and named. JSON is always read; YAML when pyyaml is
importable (it is optional: without it a YAML document is a usage error that says so).
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = ["DataOperation", "OpenApiError", "find_data_operation", "parse_document"]

MAX_VALUES = 3
# Paths that are not the data endpoint (health, docs, metrics) and words that are.
_NOT_DATA = re.compile(r"health|ready|live|ping|status|metrics|actuator|openapi|swagger|api-docs")
_DATA_WORDS = (("fred", 3), ("series", 3), ("data", 2), ("observations", 2))


class OpenApiError(ValueError):
    """The document cannot be read (plain words, for an exit-2 message)."""


@dataclass(frozen=True)
class DataOperation:
    path: str  # the request path, path parameters filled in from the document
    params: tuple[tuple[str, tuple[str, ...]], ...]  # query parameters and their values
    template: str  # the path as the document writes it
    score: int = 0


@dataclass
class Findings:
    operation: DataOperation | None = None
    skipped: list[str] = field(default_factory=list)
    health_paths: list[str] = field(default_factory=list)


def parse_document(text: str, where: str) -> dict[str, Any]:
    """A JSON (or, with pyyaml, YAML) OpenAPI / Swagger document as a dict."""
    try:
        value = json.loads(text)
    except ValueError:
        try:
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise OpenApiError(
                f"{where}: not JSON, and reading YAML needs pyyaml (pip install pyyaml)"
                " — or give the JSON form of the document"
            ) from None
        try:
            value = yaml.safe_load(text)
        except Exception:  # yaml.YAMLError; the module is optional, so not named here
            raise OpenApiError(f"{where}: neither JSON nor YAML") from None
    if not isinstance(value, dict) or not isinstance(value.get("paths"), dict):
        raise OpenApiError(f"{where}: not an OpenAPI document (no `paths` object)")
    if "openapi" not in value and "swagger" not in value:
        raise OpenApiError(f"{where}: not an OpenAPI document (no `openapi` or `swagger` field)")
    return value


def _resolve(doc: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """Follow a local ``$ref`` (``#/components/...``); other references are not fetched."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 10:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        node, depth = target, depth + 1
    return node if isinstance(node, dict) else {}


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def values_of(doc: dict[str, Any], param: dict[str, Any]) -> list[str]:
    """The values the document itself gives for one parameter (examples, then enums)."""
    schema = _resolve(doc, param.get("schema", {}))
    items = _resolve(doc, schema.get("items", {}))
    found: list[Any] = []
    for source in (param, schema):
        if "example" in source:
            found.append(source["example"])
        if "x-example" in source:
            found.append(source["x-example"])
        examples = source.get("examples")
        if isinstance(examples, dict):
            found += [_resolve(doc, e).get("value") for e in examples.values()]
        elif isinstance(examples, list):
            found += examples
    for source in (param, schema, items):
        if isinstance(source.get("enum"), list):
            found += source["enum"]
    out = [text for text in (_scalar(v) for v in found) if text]
    return list(dict.fromkeys(out))[:MAX_VALUES]


def _prefix(doc: dict[str, Any]) -> str:
    if isinstance(doc.get("basePath"), str):  # Swagger 2
        return str(doc["basePath"]).rstrip("/")
    servers = doc.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url", ""))
        if "{" not in url:
            return urlsplit(url).path.rstrip("/")
    return ""


def _score(path: str, names: list[str]) -> int:
    text = (path + " " + " ".join(names)).lower()
    score = sum(points for word, points in _DATA_WORDS if word in text)
    return score + (1 if names else 0) - (1 if "{" in path else 0)


def _operation(
    doc: dict[str, Any], template: str, item: dict[str, Any], prefix: str, skipped: list[str]
) -> DataOperation | None:
    op = _resolve(doc, item.get("get"))
    where = f"GET {prefix}{template}"
    security = op.get("security", doc.get("security"))
    if isinstance(security, list) and security and all(s for s in security):
        skipped.append(f"{where}: needs credentials (security requirement)")
        return None
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(doc, raw)
        if param.get("name"):
            merged[(str(param["name"]), str(param.get("in", "query")))] = param
    path, query = template, []
    for (name, place), param in merged.items():
        values = values_of(doc, param)
        required = bool(param.get("required")) or place == "path"
        if place in ("header", "cookie"):
            if required:
                skipped.append(f"{where}: needs the {place} {name!r} (not sent)")
                return None
            continue
        if not values:
            if required:
                skipped.append(f"{where}: {name!r} has no example or enum (values are not guessed)")
                return None
            continue
        if place == "path":
            path = path.replace("{" + name + "}", quote(values[0], safe=""))
        elif place == "query":
            query.append((name, tuple(values)))
    if "{" in path:
        skipped.append(f"{where}: a path parameter is not described")
        return None
    names = [n for n, _ in query]
    return DataOperation(prefix + path, tuple(query), prefix + template, _score(template, names))


def find_data_operation(doc: dict[str, Any]) -> Findings:
    """The most data-like GET operation whose parameters the document gives values for."""
    findings = Findings()
    prefix = _prefix(doc)
    best: DataOperation | None = None
    for template, raw_item in doc["paths"].items():
        item = _resolve(doc, raw_item)
        if not isinstance(template, str) or "get" not in item:
            continue
        if _NOT_DATA.search(template.lower()):
            if "{" not in template:
                findings.health_paths.append(prefix + template)
            continue
        operation = _operation(doc, template, item, prefix, findings.skipped)
        if operation is not None and (best is None or operation.score > best.score):
            best = operation
    findings.operation = best
    return findings
