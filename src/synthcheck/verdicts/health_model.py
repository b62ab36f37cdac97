"""One model of a health answer, whatever format the service speaks.

Every parser (verdicts/health_formats.py) turns a recorded answer into a
``HealthAnswer``: the HTTP code, the body's own overall status, its components and
the version it reports. The verdicts read only this model, so a new format is one
parser, not a new set of checks (docs/health-formats.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from synthcheck.verdicts.jsonbody import lookup

__all__ = [
    "FORMATS",
    "Component",
    "HealthAnswer",
    "Status",
    "body_version",
    "status_word",
    "worst",
]

Status = Literal["pass", "warn", "fail", "unknown"]

# The formats a parser exists for; "auto" detects one per answer (environment files:
# [health] format).
FORMATS = ("auto", "runbook", "ietf", "actuator", "aspnet", "kubernetes", "generic")

# Words seen in the wild, lower-cased. The environment file's healthy_values and
# degraded_values add to these; they never remove one.
PASS_WORDS = frozenset(
    {"pass", "passed", "ok", "up", "healthy", "success", "true", "green", "alive"}
    | {"available", "online", "running", "serving", "ready", "live", "good", "fine"}
)
WARN_WORDS = frozenset({"warn", "warning", "degraded", "yellow", "partial"})
FAIL_WORDS = frozenset(
    {"fail", "failed", "failure", "failing", "down", "out_of_service", "unhealthy"}
    | {"error", "false", "critical", "red", "dead", "unavailable", "offline", "ko"}
    | {"not_serving", "not_ready", "outage", "broken", "unreachable", "disconnected"}
)

_RANK: dict[Status, int] = {"pass": 0, "unknown": 1, "warn": 2, "fail": 3}


def status_word(value: Any, healthy: Iterable[str] = (), degraded: Iterable[str] = ()) -> Status:
    """``pass``/``warn``/``fail``/``unknown`` for one status value of any type.

    Booleans are verdicts; a number is read as an HTTP code (problem+json's
    ``"status": 200``); an unknown word is ``unknown``, never a failure.
    """
    if isinstance(value, bool):
        return "pass" if value else "fail"
    if isinstance(value, int | float):
        code = int(value)
        if 200 <= code < 400:
            return "pass"
        return "fail" if 400 <= code < 600 else "unknown"
    if not isinstance(value, str):
        return "unknown"
    word = value.strip().lower().replace("-", "_").replace(" ", "_")
    if word in PASS_WORDS or word in healthy:
        return "pass"
    if word in WARN_WORDS or word in degraded:
        return "warn"
    if word in FAIL_WORDS:
        return "fail"
    return "unknown"


def worst(statuses: Iterable[Status]) -> Status:
    found: Status = "pass"
    for status in statuses:
        if _RANK[status] > _RANK[found]:
            found = status
    return found


@dataclass(frozen=True)
class Component:
    """One named part of a health answer (a database, the upstream, memory...)."""

    name: str
    status: Status
    observed_value: float | str | None = None
    observed_unit: str = ""
    message: str = ""

    def describe(self) -> str:
        text = self.name
        if self.observed_value is not None:
            unit = f" {self.observed_unit}" if self.observed_unit else ""
            text += f" ({self.observed_value}{unit})"
        if self.message:
            text += f": {self.message[:120]}"
        return text


@dataclass(frozen=True)
class HealthAnswer:
    """What one health response says, in the harness's own terms."""

    format: str  # runbook, ietf, actuator, aspnet, kubernetes, generic, html, text, none
    http_status: int
    status: Status  # the body's overall verdict; "unknown" when it carries none we know
    raw_status: str = ""  # the overall status as written, for messages
    components: tuple[Component, ...] = ()
    version: str | None = None
    # The status ↔ HTTP-code rule of the format, when the answer breaks it.
    coupling: str = ""
    message: str = ""  # the body's own explanation (IETF output, problem+json title)

    @property
    def recognized(self) -> bool:
        """The body carries a verdict (its own or a component's) the harness reads."""
        return self.status != "unknown" or any(c.status != "unknown" for c in self.components)

    def named(self, status: Status) -> list[Component]:
        return [c for c in self.components if c.status == status]

    def body_status(self) -> Status:
        """The body's verdict: its overall status, worsened by any component's."""
        own = [self.status] if self.status != "unknown" else []
        parts = [c.status for c in self.components if c.status != "unknown"]
        if not own and not parts:
            return "unknown"
        return worst([*own, *parts])


_VERSION_FIELDS = ("version", "releaseId", "build.version", "app.version", "info.version")


def body_version(body: Any) -> str | None:
    """The service version a JSON health body reports (``version``, ``releaseId``...)."""
    if not isinstance(body, dict):
        return None
    for path in _VERSION_FIELDS:
        value = lookup(body, path)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
            return str(value)
    return None
