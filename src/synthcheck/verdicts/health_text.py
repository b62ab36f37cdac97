"""Parsers for text health answers: Kubernetes ``?verbose`` lines, ASP.NET words, ``ok``.

Kubernetes (``/readyz?verbose``, ``/livez?verbose``, ``/healthz``)::

    [+]ping ok
    [-]etcd failed: reason withheld
    readyz check failed

ASP.NET Core's default writer answers one word: ``Healthy``, ``Degraded`` or ``Unhealthy``.
"""

from __future__ import annotations

import re

from synthcheck.verdicts.health_json import coupling
from synthcheck.verdicts.health_model import Component, HealthAnswer, Status, status_word

__all__ = ["looks_like_html", "parse_text", "text_format"]

_LINE = re.compile(r"^\[(?P<sign>[+-])\](?P<name>\S+)\s*(?P<rest>.*)$")
_VERDICT = re.compile(r"^(?P<what>\w+) check (?P<result>passed|failed)$", re.IGNORECASE)
_ASPNET = {"healthy": "pass", "degraded": "warn", "unhealthy": "fail"}


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<head" in head or "<body" in head


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def text_format(text: str) -> str:
    lines = _lines(text)
    if not lines:
        return "none"
    if any(_LINE.match(line) for line in lines) or _VERDICT.match(lines[-1]):
        return "kubernetes"
    if len(lines) == 1 and lines[0].lower() == "ok":
        return "kubernetes"
    if len(lines) == 1 and lines[0].lower() in _ASPNET:
        return "aspnet"
    return "text"


def _kubernetes(text: str, code: int) -> HealthAnswer:
    lines = _lines(text)
    parts: list[Component] = []
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        rest = match["rest"]
        if match["sign"] == "+":
            parts.append(Component(match["name"], "pass"))
        else:
            reason = rest.split(":", 1)[1].strip() if ":" in rest else rest
            parts.append(Component(match["name"], "fail", message=reason))
    verdict = _VERDICT.match(lines[-1]) if lines else None
    status: Status
    if verdict:
        status = "pass" if verdict["result"].lower() == "passed" else "fail"
        raw = lines[-1]
    elif len(lines) == 1 and lines[0].lower() == "ok":
        status, raw = "pass", "ok"
    else:
        status, raw = ("fail" if any(p.status == "fail" for p in parts) else "unknown"), ""
    return HealthAnswer(
        format="kubernetes",
        http_status=code,
        status=status,
        raw_status=raw,
        components=tuple(parts),
        coupling=coupling("kubernetes", status, raw, code),
    )


def parse_text(text: str, code: int, fmt: str) -> HealthAnswer:
    """A text answer as ``fmt`` (kubernetes, aspnet, or plain text with one word)."""
    if fmt == "kubernetes":
        return _kubernetes(text, code)
    lines = _lines(text)
    word = lines[0] if len(lines) == 1 else ""
    if fmt == "aspnet":
        status = status_word(_ASPNET.get(word.lower(), "")) if word else "unknown"
        return HealthAnswer(
            format="aspnet",
            http_status=code,
            status=status,
            raw_status=word,
            coupling=coupling("aspnet", status, word, code),
        )
    status = status_word(word) if len(word) <= 40 else "unknown"
    return HealthAnswer(format="text", http_status=code, status=status, raw_status=word)
