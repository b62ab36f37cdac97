"""Runbook "Security Incident" hygiene: security headers present, no version banners.

Each check looks at every answered exchange of the plan and names the endpoints that
fall short. Missing headers and version banners are warnings by default (the deploy
goes ahead, the summary lists them) and failures with ``[security] headers = "fail"``.

- ``X-Content-Type-Options: nosniff`` on every response;
- clickjacking protection on HTML pages: ``X-Frame-Options: DENY|SAMEORIGIN`` or a
  Content-Security-Policy ``frame-ancestors`` directive that is not ``*``;
- a Content-Security-Policy on HTML pages (enforced: report-only is not enough);
- a ``Referrer-Policy`` other than ``unsafe-url`` / ``no-referrer-when-downgrade``;
- ``Strict-Transport-Security`` with ``max-age`` of 180+ days, on https targets only;
- no version banner: ``Server`` naming a version, ``X-Powered-By``, ``X-AspNet-Version``
  and friends tell an attacker which exploits to try.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from synthcheck.catalog import Category
from synthcheck.probe import Exchange
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.result import CheckResult

__all__ = [
    "HSTS_MIN_AGE_S",
    "clickjacking",
    "content_security_policy",
    "hsts",
    "no_version_banner",
    "nosniff",
    "referrer_policy",
]

HEADERS = Category.SECURITY_HEADERS
HSTS_MIN_AGE_S = 15_552_000  # 180 days, the usual scanners' threshold
_WEAK_REFERRER = {"unsafe-url", "no-referrer-when-downgrade"}
_FRAME_OPTIONS = {"deny", "sameorigin"}
_VERSIONED = re.compile(r"\d+\.\d+|/\s*\d")
_BANNER_HEADERS = ("x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator")
_BANNER_SHOWN = 60

# One exchange -> what is wrong with it, or None.
Problem = Callable[[Exchange], str | None]


def _nosniff(e: Exchange) -> str | None:
    value = (e.header("x-content-type-options") or "").strip().lower()
    if not value:
        return "X-Content-Type-Options missing"
    return None if value == "nosniff" else "X-Content-Type-Options is not nosniff"


def _frame_ancestors(csp: str) -> str | None:
    for directive in csp.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name.lower() == "frame-ancestors":
            return value.strip()
    return None


def _clickjacking(e: Exchange) -> str | None:
    frame = (e.header("x-frame-options") or "").strip().lower()
    ancestors = _frame_ancestors(e.header("content-security-policy") or "")
    if frame in _FRAME_OPTIONS or (ancestors is not None and "*" not in ancestors.split()):
        return None
    return "neither X-Frame-Options DENY/SAMEORIGIN nor CSP frame-ancestors"


def _referrer(e: Exchange) -> str | None:
    value = (e.header("referrer-policy") or "").strip().lower()
    if not value:
        return "Referrer-Policy missing"
    # A comma-separated list falls back right to left; the last known token applies.
    effective = value.split(",")[-1].strip()
    return f"Referrer-Policy {effective} leaks full URLs" if effective in _WEAK_REFERRER else None


def _csp(e: Exchange) -> str | None:
    if (e.header("content-security-policy") or "").strip():
        return None
    if e.header("content-security-policy-report-only"):
        return "only Content-Security-Policy-Report-Only (reported, not enforced)"
    return "Content-Security-Policy missing"


def _max_age(value: str) -> int | None:
    match = re.search(r"max-age\s*=\s*\"?(\d+)", value, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _hsts(e: Exchange) -> str | None:
    value = e.header("strict-transport-security")
    if value is None:
        return "Strict-Transport-Security missing"
    age = _max_age(value)
    if age is None or age < HSTS_MIN_AGE_S:
        return f"Strict-Transport-Security max-age {age} s is under {HSTS_MIN_AGE_S} s (180 days)"
    return None


def _banner(e: Exchange) -> str | None:
    server = e.header("server")
    if server and _VERSIONED.search(server):
        return f"Server: {server[:_BANNER_SHOWN]}"
    for name in _BANNER_HEADERS:
        value = e.header(name)
        if value is not None:
            return f"{name}: {value[:_BANNER_SHOWN]}"
    return None


def _judge(
    what: str,
    budget: str,
    recorded: Mapping[str, Sequence[Exchange]],
    problem: Problem,
    mode: str,
    *,
    html_only: bool = False,
) -> CheckResult:
    answered = {
        target: [
            e
            for e in exchanges
            if e.status is not None and (not html_only or "html" in e.content_type)
        ]
        for target, exchanges in recorded.items()
    }
    answered = {target: exchanges for target, exchanges in answered.items() if exchanges}
    total = sum(len(v) for v in answered.values())
    if total == 0:
        reason = "no HTML page among the recorded responses" if html_only else UNREACHABLE
        return CheckResult.skipped(HEADERS, reason)
    bad: dict[str, str] = {}
    for target, exchanges in answered.items():
        found = next((p for p in map(problem, exchanges) if p is not None), None)
        if found is not None:
            bad[target] = found
    common = dict(budget=budget, sample_size=total, metrics={"endpoints_short": len(bad)})
    if not bad:
        return CheckResult.passed(
            HEADERS,
            f"{what}: every endpoint complies ({len(answered)} endpoints)",
            observed=f"{len(answered)} of {len(answered)} endpoints comply",
            **common,
        )
    first_target, first_problem = next(iter(bad.items()))
    more = f" and {len(bad) - 1} more endpoint(s)" if len(bad) > 1 else ""
    build = CheckResult.failed if mode == "fail" else CheckResult.warned
    return build(
        HEADERS,
        f"{what}: {first_problem} on {first_target}{more}",
        endpoint=first_target if len(bad) == 1 else None,
        observed=f"{len(bad)} of {len(answered)} endpoints fall short",
        details=[f"{target}: {text}" for target, text in bad.items()],
        **common,
    )


def nosniff(recorded: Mapping[str, Sequence[Exchange]], mode: str) -> CheckResult:
    budget = "X-Content-Type-Options: nosniff on every response"
    return _judge("MIME sniffing", budget, recorded, _nosniff, mode)


def clickjacking(recorded: Mapping[str, Sequence[Exchange]], mode: str) -> CheckResult:
    budget = "HTML pages: X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors"
    return _judge("clickjacking protection", budget, recorded, _clickjacking, mode, html_only=True)


def content_security_policy(recorded: Mapping[str, Sequence[Exchange]], mode: str) -> CheckResult:
    budget = "HTML pages: a Content-Security-Policy header (enforced, not report-only)"
    return _judge("Content-Security-Policy", budget, recorded, _csp, mode, html_only=True)


def referrer_policy(recorded: Mapping[str, Sequence[Exchange]], mode: str) -> CheckResult:
    budget = "Referrer-Policy present, not unsafe-url / no-referrer-when-downgrade"
    return _judge("Referrer-Policy", budget, recorded, _referrer, mode)


def hsts(recorded: Mapping[str, Sequence[Exchange]], mode: str, base_url: str) -> CheckResult:
    if not base_url.lower().startswith("https://"):
        return CheckResult.skipped(
            HEADERS, f"HSTS applies to https targets; {base_url} is plain http"
        )
    budget = f"Strict-Transport-Security max-age ≥ {HSTS_MIN_AGE_S} s (180 days)"
    return _judge("HSTS", budget, recorded, _hsts, mode)


def no_version_banner(recorded: Mapping[str, Sequence[Exchange]], mode: str) -> CheckResult:
    budget = "no Server version, X-Powered-By, X-AspNet-Version or X-Generator header"
    return _judge("version banner", budget, recorded, _banner, mode)
