"""The reference health body re-spoken in other standard formats (fault `health_format`).

Real services answer /api/health as IETF health+json, Spring Boot Actuator, ASP.NET
Core HealthChecks, Kubernetes text or a Node heap report. These shapes carry the
same facts as the runbook body (upstream, cache, memory), each in its format's own
words and with its format's HTTP code; ``state=warn|fail`` adds a degraded or
failing ``postgres`` component so the verifier can be shown to name it.
"""

from __future__ import annotations

from typing import Any

from synthcheck.reference.asgi import Response
from synthcheck.reference.faults import ActiveFault, Effect, Hook, RequestContext

__all__ = ["SHAPES", "STATES", "reshape_health"]

SHAPES = ("ietf", "actuator", "aspnet", "aspnet_text", "kubernetes", "node_heap")
STATES = ("pass", "warn", "fail")
_DB_ERROR = "connection refused"


def _fact(body: dict[str, Any], check: str, key: str, default: float = 0.0) -> float:
    value = body.get("checks", {}).get(check, {}).get(key, default)
    return float(value) if isinstance(value, int | float) else default


def _ietf(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    now = body.get("timestamp", "")
    checks: dict[str, Any] = {
        "fred:responseTime": [
            {
                "componentType": "component",
                "observedValue": _fact(body, "fred_api", "latency_ms"),
                "observedUnit": "ms",
                "status": "pass",
                "time": now,
            }
        ],
        "memory:utilization": [
            {
                "componentType": "system",
                "observedValue": _fact(body, "memory", "usage_percent"),
                "observedUnit": "percent",
                "status": "pass",
                "time": now,
            }
        ],
        "uptime": [
            {
                "componentType": "system",
                "observedValue": body.get("uptime", 0),
                "observedUnit": "s",
                "status": "pass",
            }
        ],
    }
    overall = "pass"
    if state != "pass":
        entry = {
            "componentType": "datastore",
            "observedValue": 97,
            "observedUnit": "percent",
            "status": state,
        }
        if state == "fail":
            entry["output"] = _DB_ERROR
        checks["postgres:connections"] = [entry]
        overall = state
    out = {
        "status": overall,
        "version": "1",
        "releaseId": body.get("version", ""),
        "serviceId": "fred-backend",
        "description": "health of the FRED data backend",
        "checks": checks,
    }
    if state == "fail":
        out["output"] = f"postgres: {_DB_ERROR}"
    return (503 if state == "fail" else 200), "application/health+json", out


_ACTUATOR = {"pass": "UP", "warn": "UP", "fail": "DOWN"}


def _actuator(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    components: dict[str, Any] = {
        "fredApi": {
            "status": "UP",
            "details": {"latencyMs": _fact(body, "fred_api", "latency_ms")},
        },
        "cache": {"status": "UP", "details": {"entries": _fact(body, "cache", "entries")}},
        "diskSpace": {
            "status": "UP",
            "details": {
                "total": 250685575168,
                "free": 118725824512,
                "threshold": 10485760,
                "exists": True,
            },
        },
        "ping": {"status": "UP"},
    }
    if state == "fail":
        components["db"] = {
            "status": "DOWN",
            "details": {"error": f"java.net.ConnectException: {_DB_ERROR}"},
        }
    elif state == "warn":
        components["db"] = {"status": "OUT_OF_SERVICE"}
    code = 503 if state != "pass" else 200
    overall = "OUT_OF_SERVICE" if state == "warn" else _ACTUATOR[state]
    return (
        code,
        "application/vnd.spring-boot.actuator.v3+json",
        {"status": overall, "components": components},
    )


_ASPNET = {"pass": "Healthy", "warn": "Degraded", "fail": "Unhealthy"}


def _aspnet(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    def entry(status: str, **data: Any) -> dict[str, Any]:
        return {"data": data, "duration": "00:00:00.0012345", "status": status, "tags": []}

    entries: dict[str, Any] = {
        "self": entry("Healthy"),
        "fred_api": entry("Healthy", latency_ms=_fact(body, "fred_api", "latency_ms")),
        "cache": entry("Healthy", entries=_fact(body, "cache", "entries")),
    }
    if state != "pass":
        entries["postgres"] = {**entry(_ASPNET[state]), "description": _DB_ERROR}
    out = {"status": _ASPNET[state], "totalDuration": "00:00:00.0034567", "entries": entries}
    return (503 if state == "fail" else 200), "application/json", out


def _aspnet_text(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    return (503 if state == "fail" else 200), "text/plain", _ASPNET[state]


def _kubernetes(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    lines = ["[+]ping ok", "[+]log ok", "[+]fred-api ok", "[+]cache ok"]
    if state == "fail":
        lines.append("[-]postgres failed: reason withheld")
    lines.append("healthz check failed" if state == "fail" else "healthz check passed")
    return (500 if state == "fail" else 200), "text/plain", "\n".join(lines) + "\n"


def _node_heap(body: dict[str, Any], state: str) -> tuple[int, str, Any]:
    """V8 heapUsed/heapTotal in MB: ~97 % on a healthy idle process, and not a limit."""
    out = dict(body)
    out["memory"] = {"used": 95, "total": 98}
    checks = dict(out.get("checks", {}))
    checks["memory"] = {"status": "ok"}
    out["checks"] = checks
    return 200, "application/json", out


_BUILDERS = {
    "ietf": _ietf,
    "actuator": _actuator,
    "aspnet": _aspnet,
    "aspnet_text": _aspnet_text,
    "kubernetes": _kubernetes,
    "node_heap": _node_heap,
}


def reshape_health(shape: str = "ietf", state: str = "pass") -> Effect:
    """Answer /api/health in `shape` (one of SHAPES) reporting `state`."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        if not response.is_json or not isinstance(response.payload, dict):
            return response
        code, media, out = _BUILDERS[af.text("shape")](response.payload, af.text("state"))
        response.status = code
        if isinstance(out, str):
            response.replace_body(out.encode("utf-8"), f"{media}; charset=utf-8")
        else:
            response.payload = out
            response.headers.set("Content-Type", media)
        return response

    return Effect(
        Hook.AFTER, run, {"shape": shape, "state": state}, {"shape": SHAPES, "state": STATES}
    )
