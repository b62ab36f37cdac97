"""One health answer's verdict: the HTTP code first, the body's verdict refining it.

- 4xx/5xx: fail, whatever the body says (Kubernetes and the IETF draft both make
  the code the signal load balancers act on); the body names the components.
- an HTML page on a 2xx: fail. A health route that serves the site's HTML is
  affirmative evidence of a catch-all (SPA fallback) route, not a health endpoint.
- a 2xx whose body says fail (overall or a component): fail, naming the component.
- a 2xx whose body says warn/degraded: warn (fail with ``degraded_is_failure``).
- a 2xx with a status word the harness does not know: warn (judged by its code).
- a 2xx with no verdict in the body at all (``{}``, ``{"uptime": 3}``, empty): pass
  by its code; the observation says the body carried no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from synthcheck.config import HealthSettings
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.health_model import Component, HealthAnswer

__all__ = ["FORMAT_LABELS", "Judgment", "judge"]

FORMAT_LABELS = {
    "runbook": "runbook health",
    "ietf": "IETF health+json",
    "actuator": "Spring Boot Actuator",
    "aspnet": "ASP.NET Core HealthChecks",
    "kubernetes": "Kubernetes health text",
    "generic": "JSON health",
    "text": "text",
    "html": "HTML page",
    "none": "empty body",
}
_UPSTREAM_WORDS = ("fred", "upstream")

State = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class Judgment:
    state: State
    note: str
    attributed: bool = False  # a failure that is the FRED upstream's, per our own probe


def _names(parts: list[Component]) -> str:
    return ", ".join(p.describe() for p in parts[:6]) + (" ..." if len(parts) > 6 else "")


def _upstream_only(parts: list[Component]) -> bool:
    return bool(parts) and all(any(w in p.name.lower() for w in _UPSTREAM_WORDS) for p in parts)


def describe(answer: HealthAnswer) -> str:
    """``HTTP 503, Spring Boot Actuator status='DOWN'; failing: db (...)``."""
    label = FORMAT_LABELS.get(answer.format, answer.format)
    text = f"HTTP {answer.http_status}, {label}"
    if answer.raw_status:
        text += f" {answer.raw_status}"
    failing, degraded = answer.named("fail"), answer.named("warn")
    if failing:
        text += f"; failing: {_names(failing)}"
    if degraded:
        text += f"; degraded: {_names(degraded)}"
    if answer.message and (answer.status == "fail" or answer.http_status >= 400):
        text += f"; says: {answer.message}"
    if answer.coupling:
        text += f" ({answer.coupling})"
    return text


def judge(answer: HealthAnswer, settings: HealthSettings, upstream: UpstreamHealth) -> Judgment:
    note = describe(answer)
    if answer.http_status >= 400:
        return Judgment("fail", note)
    if answer.format == "html":
        return Judgment(
            "fail",
            f"{note}: the health route serves the site's HTML, so it looks like a catch-all"
            " (SPA fallback) route, not a health endpoint",
        )
    body = answer.body_status()
    if body == "fail":
        failing = answer.named("fail")
        attributed = answer.status != "fail" and upstream.failing and _upstream_only(failing)
        return Judgment("fail", note, attributed)
    if body == "warn":
        return Judgment("fail" if settings.degraded_is_failure else "warn", f"degraded: {note}")
    if body == "unknown" and answer.raw_status:
        return Judgment(
            "warn",
            f"{note}: not a status the harness knows, judged by HTTP {answer.http_status}"
            " (add it to [health] healthy_values or degraded_values)",
        )
    if body == "unknown":
        return Judgment("pass", f"{note} with no verdict in the body: judged by its HTTP code")
    return Judgment("pass", note)
