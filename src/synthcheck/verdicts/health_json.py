"""Parsers for JSON health bodies: the runbook's, IETF, Spring Actuator, ASP.NET, generic."""

from __future__ import annotations

from typing import Any

from synthcheck.config import HealthSettings
from synthcheck.verdicts.health_model import (
    Component,
    HealthAnswer,
    Status,
    body_version,
    status_word,
    worst,
)
from synthcheck.verdicts.jsonbody import lookup

__all__ = [
    "coupling",
    "parse_actuator",
    "parse_aspnet_json",
    "parse_generic",
    "parse_ietf",
    "parse_runbook",
]

_STATUS_KEYS = ("status", "state", "healthy", "passed", "ok", "up", "success", "alive")
_MESSAGE_KEYS = ("output", "message", "error", "description", "exception", "reason", "data")
# An overall explanation (problem+json title/detail, IETF output, terminus error).
_BODY_MESSAGE_KEYS = ("output", "message", "title", "detail", "error", "reason")
_NAME_KEYS = ("name", "componentId", "checker", "component", "id", "key")
# Top-level keys that carry the overall verdict when status_field is absent.
_OVERALL_KEYS = ("status", "state", "health", "healthy", "ok", "up", "alive", "success")
# Containers of per-component results beyond [health] checks_fields (py-healthcheck).
_EXTRA_CONTAINERS = ("results",)
# Containers that list only what failed (@godaddy/terminus `error`): a component
# there whose own status says nothing is failing.
_FAILED_CONTAINERS = ("error", "errors")

# Which statuses each format says go with 2xx-3xx and which with 4xx-5xx.
_COUPLING: dict[str, tuple[str, dict[Status, str]]] = {
    "ietf": ("IETF health+json", {"pass": "2xx-3xx", "warn": "2xx-3xx", "fail": "4xx-5xx"}),
    "actuator": ("Spring Boot Actuator", {"pass": "200", "fail": "503"}),
    "aspnet": ("ASP.NET Core HealthChecks", {"pass": "200", "warn": "200", "fail": "503"}),
    "kubernetes": ("Kubernetes health endpoints", {"pass": "200", "fail": "500"}),
    "runbook": ("the runbook's contract", {"pass": "200", "warn": "200", "fail": "503"}),
}


def coupling(fmt: str, status: Status, raw: str, code: int) -> str:
    """The format's status ↔ HTTP-code rule, stated, when this answer breaks it."""
    name, rules = _COUPLING.get(fmt, ("", {}))
    expected = rules.get(status)
    if not expected or not code:
        return ""
    error_code = code >= 400
    if error_code == expected.startswith(("4", "5")):
        return ""
    return f"{name} answers status={raw} with HTTP {expected}, this one with {code}"


def _words(settings: HealthSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return settings.healthy_values, settings.degraded_values


def _status_of(value: Any, settings: HealthSettings) -> Status:
    healthy, degraded = _words(settings)
    if isinstance(value, dict):
        for key in _STATUS_KEYS:
            if key in value and not isinstance(value[key], dict | list):
                return status_word(value[key], healthy, degraded)
        return "unknown"
    if isinstance(value, list):
        found = [_status_of(v, settings) for v in value]
        known = [s for s in found if s != "unknown"]
        return worst(known) if known else "unknown"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "unknown"  # a component's number is a measurement, not a verdict
    return status_word(value, healthy, degraded)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        inner = next((value[k] for k in _MESSAGE_KEYS if k in value), None)
        return _text(inner) if inner is not None else ""
    return ""


def _observed(value: dict[str, Any]) -> tuple[float | str | None, str]:
    if "observedValue" in value:
        observed = value["observedValue"]
        if isinstance(observed, int | float | str) and not isinstance(observed, bool):
            return observed, str(value.get("observedUnit") or "")
    for key, unit in (("usage_percent", "%"), ("percent", "%"), ("latency_ms", "ms")):
        number = value.get(key)
        if isinstance(number, int | float) and not isinstance(number, bool):
            return number, unit
    return None, ""


def component(name: str, value: Any, settings: HealthSettings) -> Component:
    status = _status_of(value, settings)
    if not isinstance(value, dict):
        return Component(name, status)
    observed, unit = _observed(value)
    message = next((_text(value[k]) for k in _MESSAGE_KEYS if _text(value.get(k))), "")
    return Component(name, status, observed, unit, message)


def _items(container: Any) -> list[tuple[str, Any]]:
    if isinstance(container, dict):
        return [(str(k), v) for k, v in container.items()]
    if isinstance(container, list):
        named: list[tuple[str, Any]] = []
        for i, item in enumerate(container):
            key = next((item[k] for k in _NAME_KEYS if isinstance(item, dict) and item.get(k)), i)
            named.append((str(key), item))
        return named
    return []


def _merge(found: dict[str, Component], new: Component) -> None:
    old = found.get(new.name)
    if old is None or worst([old.status, new.status]) != old.status:
        found[new.name] = new


def _components(body: Any, settings: HealthSettings) -> list[Component]:
    found: dict[str, Component] = {}
    for field_name in (*settings.checks_fields, *_EXTRA_CONTAINERS):
        for name, value in _items(lookup(body, field_name)):
            _merge(found, component(name, value, settings))
    for field_name in _FAILED_CONTAINERS:
        container = lookup(body, field_name)
        for name, value in _items(container) if isinstance(container, dict) else []:
            part = component(name, value, settings)
            if part.status == "unknown":
                message = part.message or (value.strip()[:120] if isinstance(value, str) else "")
                part = Component(name, "fail", part.observed_value, part.observed_unit, message)
            _merge(found, part)
    return list(found.values())


def _body_message(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    for key in _BODY_MESSAGE_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:160]
    return ""


def _overall(body: Any, settings: HealthSettings) -> tuple[Status, str]:
    if not isinstance(body, dict):
        return "unknown", ""
    keys = (settings.status_field, *_OVERALL_KEYS)
    for key in keys:
        value = lookup(body, key)
        if value is None:
            continue
        if isinstance(value, dict):
            value = next((value[k] for k in _STATUS_KEYS if k in value), None)
        if isinstance(value, str | int | float | bool):
            healthy, degraded = _words(settings)
            return status_word(value, healthy, degraded), f"{key}={value!r}"
    return "unknown", ""


def _top_level_checks(body: Any, settings: HealthSettings) -> list[Component]:
    """``{"Database": "OK", "cache": true}``: per-check strings and booleans at the top."""
    if not isinstance(body, dict):
        return []
    found: list[Component] = []
    for name, value in body.items():
        if isinstance(value, list | int | float) and not isinstance(value, bool):
            continue
        part = component(str(name), value, settings)
        if part.status != "unknown":
            found.append(part)
    return found


def _answer(
    fmt: str, body: Any, code: int, status: Status, raw: str, parts: list[Component]
) -> HealthAnswer:
    shown = raw.split("=", 1)[-1].strip("'\"") if raw else ""
    return HealthAnswer(
        format=fmt,
        http_status=code,
        status=status,
        raw_status=raw,
        components=tuple(parts),
        version=body_version(body),
        coupling=coupling(fmt, status, shown, code),
        message=_body_message(body),
    )


def parse_generic(body: Any, code: int, settings: HealthSettings) -> HealthAnswer:
    status, raw = _overall(body, settings)
    parts = _components(body, settings)
    if status == "unknown" and not parts:
        parts = _top_level_checks(body, settings)
    return _answer("generic", body, code, status, raw, parts)


def parse_runbook(body: Any, code: int, settings: HealthSettings) -> HealthAnswer:
    status, raw = _overall(body, settings)
    return _answer("runbook", body, code, status, raw, _components(body, settings))


def parse_ietf(body: Any, code: int, settings: HealthSettings) -> HealthAnswer:
    status, raw = _overall(body, settings)
    parts: list[Component] = []
    checks = body.get("checks") if isinstance(body, dict) else None
    for key, value in _items(checks):
        entries = value if isinstance(value, list) else [value]
        for i, entry in enumerate(entries):
            ident = entry.get("componentId") if isinstance(entry, dict) else None
            name = key if len(entries) == 1 else f"{key}[{ident or i}]"
            parts.append(component(name, entry, settings))
    return _answer("ietf", body, code, status, raw, parts)


def _actuator_leaves(prefix: str, value: Any, settings: HealthSettings) -> list[Component]:
    if not isinstance(value, dict):
        return []
    nested = value.get("components")
    if not isinstance(nested, dict):
        details = value.get("details")
        # Boot 2.0-2.1 nest components under "details"; later ones keep facts there.
        if (
            isinstance(details, dict)
            and details
            and all(isinstance(d, dict) and "status" in d for d in details.values())
        ):
            nested = details
    if isinstance(nested, dict) and nested:
        leaves: list[Component] = []
        for name, child in nested.items():
            leaves.extend(_actuator_leaves(f"{prefix}/{name}" if prefix else name, child, settings))
        return leaves
    if not prefix:
        return []
    details = value.get("details")
    message = _text(details.get("error")) if isinstance(details, dict) else ""
    return [Component(prefix, _status_of(value, settings), message=message)]


def parse_actuator(body: Any, code: int, settings: HealthSettings) -> HealthAnswer:
    status, raw = _overall(body, settings)
    parts = _actuator_leaves("", body, settings)
    if not parts and isinstance(body, dict):  # Boot 1.x: components at the top level
        parts = [
            Component(name, _status_of(v, settings))
            for name, v in body.items()
            if isinstance(v, dict) and "status" in v
        ]
    return _answer("actuator", body, code, status, raw, parts)


def parse_aspnet_json(body: Any, code: int, settings: HealthSettings) -> HealthAnswer:
    status, raw = _overall(body, settings)
    entries = body.get("entries") if isinstance(body, dict) else None
    parts = [component(name, value, settings) for name, value in _items(entries)]
    return _answer("aspnet", body, code, status, raw, parts)
