"""Schemas inferred by `synthcheck init`: loose for the same shape, never a secret."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from synthcheck.init.schemas import MAP_KEYS, infer_schema

REFERENCE = {
    "status": "healthy",
    "version": "1.4.2",
    "uptime": 0,
    "memory": {"used": 37609472, "total": 536870912, "limit": 536870912},
    "checks": {"fred_api": {"status": "pass", "latency_ms": 17.6}, "cache": {"status": "pass"}},
}


def _valid(schema: dict[str, Any], body: Any) -> bool:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema).is_valid(body)


def test_every_body_seen_is_valid_and_keys_seen_everywhere_are_required() -> None:
    other = {**REFERENCE, "uptime": 12.5, "extra": "x"}
    schema = infer_schema([REFERENCE, other], "health")
    assert _valid(schema, REFERENCE)
    assert _valid(schema, other)
    assert schema["required"] == ["status", "version", "uptime", "memory", "checks"]
    missing = {k: v for k, v in REFERENCE.items() if k != "memory"}
    assert not _valid(schema, missing)
    assert not _valid(schema, {**REFERENCE, "uptime": "soon"})  # the type seen is kept


def test_the_whole_status_family_is_allowed_and_nothing_else_is_pinned() -> None:
    schema = infer_schema([REFERENCE], "health")
    degraded = json.loads(json.dumps(REFERENCE))
    degraded["status"] = "degraded"
    degraded["checks"]["cache"]["status"] = "fail"
    degraded["version"] = "2.0.0"
    degraded["memory"]["used"] = 1
    assert _valid(schema, degraded)
    assert not _valid(schema, {**REFERENCE, "status": "banana"})


@pytest.mark.parametrize(
    ("word", "other"),
    [("UP", "OUT_OF_SERVICE"), ("pass", "warn"), ("Healthy", "Unhealthy"), ("ok", "error")],
)
def test_each_format_keeps_its_own_status_words(word: str, other: str) -> None:
    schema = infer_schema([{"status": word}], "h")
    assert _valid(schema, {"status": other})
    assert not _valid(schema, {"status": other.lower() if other != other.lower() else "DOWN!"})


def test_an_unknown_status_word_is_only_a_string() -> None:
    schema = infer_schema([{"status": "banana"}], "h")
    assert schema["properties"]["status"] == {"type": "string"}


def test_numbers_in_lists_may_be_missing_and_a_map_is_not_a_record() -> None:
    data = {"observations": [{"date": "2020-01-01", "value": 3.5}]}
    schema = infer_schema([data], "data")
    assert _valid(schema, {"observations": [{"date": "2020-02-01", "value": None}]})
    by_date = {f"2020-01-{n:02}": n for n in range(MAP_KEYS + 5)}
    mapped = infer_schema([by_date], "data")
    assert "required" not in mapped
    assert _valid(mapped, {"2031-01-01": 1.0})


def test_a_secret_value_is_never_copied() -> None:
    secret = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    body = {"status": secret, "echo": f"key={secret}", secret: 1}
    schema = infer_schema([body], "h", secrets=[secret])
    assert secret not in json.dumps(schema)
    assert _valid(schema, body)
