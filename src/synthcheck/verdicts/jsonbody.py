"""Reading JSON bodies: dotted-path lookup and cached JSON Schema validation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["lookup", "schema_problem"]

_MISSING = object()


def lookup(body: Any, dotted: str) -> Any:
    """``lookup(body, "memory.used")``; ``None`` when any step is missing."""
    if not dotted:
        return None
    current = body
    for part in dotted.split("."):
        if isinstance(current, dict):
            current = current.get(part, _MISSING)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is _MISSING:
            return None
    return current


@cache
def _validator(path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(path.read_text()))


def _where(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problem(body: Any, schema: Path) -> str | None:
    """The first (most relevant) violation as ``$.field: message``, or None when valid."""
    errors = sorted(
        _validator(schema).iter_errors(body), key=lambda e: (len(e.absolute_path), str(e.message))
    )
    if not errors:
        return None
    first = errors[0]
    message = first.message if len(first.message) <= 160 else first.message[:157] + "..."
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{_where(first.absolute_path)}: {message}{more}"
