"""Loose JSON Schemas inferred from the answers ``init`` saw.

Loose enough that a healthy answer of the same shape passes next time: the keys seen
in every sample are required, each value's JSON type is the union of those seen
(an integer is a ``number``; a number anywhere inside a list may also be ``null``, a
missing observation), and no value is pinned except status words, whose whole family is
allowed (``healthy``/``degraded``/``unhealthy``, ``UP``/``DOWN``/...) so that a
degraded answer is judged by the health verdict, not by the schema. Objects with many
keys (a map keyed by dates or ids) get one schema for all their values. A string that
holds a known secret's value is never copied: no value appears in a schema but the
status words, and a status word that is a secret is dropped too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["STATUS_FAMILIES", "infer_schema"]

# Status vocabularies, exactly as the formats spell them (docs/health-formats.md).
STATUS_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("healthy", "degraded", "unhealthy"),
    ("pass", "warn", "fail"),
    ("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN"),
    ("Healthy", "Degraded", "Unhealthy"),
    ("ok", "degraded", "error"),
    ("OK", "DEGRADED", "ERROR"),
    ("up", "down"),
    ("success", "failure"),
)
STATUS_KEYS = frozenset({"status", "state"})
MAP_KEYS = 30  # an object with more keys than this is a map, not a record

_JSON_TYPES = ("object", "array", "string", "number", "boolean", "null")


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _family(words: set[str]) -> list[str] | None:
    for family in STATUS_FAMILIES:
        if words <= set(family):
            return list(family)
    return None


def _with_types(types: Iterable[str], schema: dict[str, Any]) -> dict[str, Any]:
    ordered = [t for t in _JSON_TYPES if t in set(types)]
    if not ordered:
        return schema
    return {"type": ordered[0] if len(ordered) == 1 else ordered, **schema}


class _Inferrer:
    def __init__(self, secrets: Sequence[str]) -> None:
        self.secrets = [s for s in secrets if s]

    def _secret(self, text: str) -> bool:
        return any(secret in text for secret in self.secrets)

    def infer(self, values: list[Any], key: str = "", in_array: bool = False) -> dict[str, Any]:
        types = {_type(v) for v in values}
        if types == {"null"}:
            return {}  # only nulls seen: nothing known about the type
        schema: dict[str, Any] = {}
        objects = [v for v in values if isinstance(v, dict)]
        arrays = [v for v in values if isinstance(v, list)]
        strings = {v for v in values if isinstance(v, str)}
        if objects:
            schema.update(self._object(objects, in_array))
        if arrays:
            items = [item for array in arrays for item in array]
            if items:
                schema["items"] = self.infer(items, in_array=True)
        if key in STATUS_KEYS and strings and types == {"string"}:
            family = _family(strings)
            if family is not None:
                allowed = [w for w in family if not self._secret(w)]
                return {"enum": allowed} if allowed else {"type": "string"}
        if in_array and "number" in types:
            types = types | {"null"}
        return _with_types(types, schema)

    def _object(self, objects: list[dict[str, Any]], in_array: bool) -> dict[str, Any]:
        keys = [k for k in dict.fromkeys(k for o in objects for k in o) if not self._secret(k)]
        if len(keys) > MAP_KEYS:
            values = [v for o in objects for k, v in o.items() if k in keys]
            return {"additionalProperties": self.infer(values, in_array=in_array)}
        properties = {
            k: self.infer([o[k] for o in objects if k in o], key=k, in_array=in_array) for k in keys
        }
        required = [k for k in keys if all(k in o for o in objects)]
        out: dict[str, Any] = {"properties": properties}
        if required:
            out["required"] = required
        return out


def infer_schema(bodies: Sequence[Any], title: str, secrets: Sequence[str] = ()) -> dict[str, Any]:
    """A draft 2020-12 schema every one of ``bodies`` (parsed JSON) satisfies."""
    inner = _Inferrer(secrets).infer(list(bodies))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "$comment": "written by `synthcheck init` from the answers it saw; edit freely",
        **inner,
    }
