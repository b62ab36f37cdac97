"""Health formats: detect which one an answer speaks and parse it into the model.

The HTTP code is the first signal; the body refines it. Each parser reads one
family (docs/health-formats.md):

- ``runbook``: ``status`` healthy/degraded/unhealthy, ``checks`` {name: {status, ...}}
- ``ietf``: application/health+json (draft-inadarei-api-health-check), ``checks``
  {"component:measurement": [{componentId, observedValue, observedUnit, status, output}]}
- ``actuator``: Spring Boot, ``status`` UP/DOWN/OUT_OF_SERVICE/UNKNOWN, nested ``components``
- ``aspnet``: ASP.NET Core, ``Healthy``/``Degraded``/``Unhealthy`` text or ``entries`` JSON
- ``kubernetes``: ``[+]etcd ok`` / ``[-]etcd failed: ...`` lines, ``healthz check passed``, ``ok``
- ``generic``: what health libraries emit (booleans, per-check strings, ``{}``, numbers)
"""

from __future__ import annotations

from typing import Any

from synthcheck.config import HealthSettings
from synthcheck.probe import Exchange
from synthcheck.verdicts.health_json import (
    parse_actuator,
    parse_aspnet_json,
    parse_generic,
    parse_ietf,
    parse_runbook,
)
from synthcheck.verdicts.health_model import HealthAnswer
from synthcheck.verdicts.health_text import looks_like_html, parse_text, text_format

__all__ = ["detect", "parse_answer"]

_IETF_TYPE = "application/health+json"
_ACTUATOR_WORDS = {"UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN"}
_ASPNET_WORDS = {"Healthy", "Degraded", "Unhealthy"}
_IETF_WORDS = {"pass", "warn", "fail"}
_RUNBOOK_WORDS = {"healthy", "degraded", "unhealthy"}


def _detect_json(body: Any, content_type: str) -> str:
    if content_type == _IETF_TYPE:
        return "ietf"
    if not isinstance(body, dict):
        return "generic"
    status = body.get("status")
    checks = body.get("checks")
    if isinstance(body.get("entries"), dict) or "totalDuration" in body or status in _ASPNET_WORDS:
        return "aspnet"
    if status in _ACTUATOR_WORDS and not isinstance(checks, list):
        return "actuator"
    if status in _IETF_WORDS or (
        isinstance(checks, dict) and checks and all(isinstance(v, list) for v in checks.values())
    ):
        return "ietf"
    if status in _RUNBOOK_WORDS and isinstance(checks, dict):
        return "runbook"
    return "generic"


def detect(exchange: Exchange) -> str:
    """The format one answer speaks: a parser's name, or ``html``/``text``/``none``."""
    parsed, body, _ = exchange.json_result
    if parsed:
        return _detect_json(body, exchange.content_type)
    if not exchange.body:
        return "none"
    if "html" in exchange.content_type or looks_like_html(exchange.text):
        return "html"
    return text_format(exchange.text)


def parse_answer(exchange: Exchange, settings: HealthSettings) -> HealthAnswer:
    """One answer in the model, in the configured format or the detected one."""
    code = exchange.status or 0
    found = detect(exchange)
    wanted = settings.format if settings.format != "auto" else found
    parsed, body, _ = exchange.json_result
    if found in ("html", "none") or not parsed:
        fmt = wanted if wanted in ("kubernetes", "aspnet") and found == "text" else found
        if fmt in ("kubernetes", "aspnet", "text"):
            return parse_text(exchange.text, code, fmt)
        return HealthAnswer(format=found, http_status=code, status="unknown")
    parser = {
        "runbook": parse_runbook,
        "ietf": parse_ietf,
        "actuator": parse_actuator,
        "aspnet": parse_aspnet_json,
    }.get(wanted, parse_generic)
    return parser(body, code, settings)
