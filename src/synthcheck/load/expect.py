"""What makes one load-test response a failure: status, content type, JSON, schema.

Runs in the load generator for every response, so the common path is cheap:
identical bodies (a cached series served again and again) are judged once, and a
body is checked against its schema by jsonschema-rs (compiled, ~1 µs for a health
body where the pure-Python validator takes ~60 µs). Only an invalid body goes
through the checks' own validator, so a failure reads exactly as the checks word it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from synthcheck.verdicts.jsonbody import schema_problem

__all__ = ["ResponseExpectation"]


def _no_download(uri: str) -> Any:
    # A load generator must not fetch schemas from the network (the checks do not either).
    raise ValueError(f"remote schema {uri} is not fetched")


@cache
def _is_valid(schema: Path) -> Callable[[Any], bool]:
    document = json.loads(schema.read_text())
    try:
        return jsonschema_rs.Draft202012Validator(document, retriever=_no_download).is_valid
    except jsonschema_rs.ValidationError:  # it cannot compile this one: the checks' validator
        return lambda body: schema_problem(body, schema) is None


@lru_cache(maxsize=256)
def _body_problem(body: bytes, schema: Path | None) -> str | None:
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"body is not JSON ({exc})"
    if schema is None or _is_valid(schema)(parsed):
        return None
    problem = schema_problem(parsed, schema)
    return f"schema {schema.name}: {problem}" if problem else None


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class ResponseExpectation:
    statuses: frozenset[int]
    content_type: str | None = None  # media type, e.g. "text/html"
    json_body: bool = False  # a successful (2xx) body must parse as JSON ...
    schema: Path | None = None  # ... and match this JSON Schema

    def problem(self, status: int, content_type: str | None, body: bytes) -> str | None:
        """Why this response counts as a failure, or None when it is as expected.

        The text becomes a row of locust's failure table, so it names the kind of
        problem first and stays short; it may quote the body, so callers redact it.
        """
        if status not in self.statuses:
            expected = ", ".join(str(s) for s in sorted(self.statuses))
            return f"status {status}, expected {expected}"
        if self.content_type and _media_type(content_type) != self.content_type:
            media = _media_type(content_type) or "(none)"
            return f"Content-Type {media}, expected {self.content_type}"
        if not (200 <= status < 300) or not (self.json_body or self.schema):
            return None
        problem = _body_problem(bytes(body), self.schema)
        return problem[:300] if problem else None
