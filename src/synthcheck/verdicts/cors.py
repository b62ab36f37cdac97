"""Runbook "Security Incident": may any web page read the API's answers with cookies?

Judged on the two CORS probes (synthcheck.probe.cors). A foreign ``Origin`` echoed in
``Access-Control-Allow-Origin`` together with ``Access-Control-Allow-Credentials:
true`` lets every site read a logged-in user's data; ``*`` (or ``null``) with
credentials is a policy that is broken the same way (browsers refuse ``*``, the
server meant "anyone"). Either is a P1 failure whatever ``[security] headers`` says.
A reflected origin without credentials is a public API: passed, and named.
"""

from __future__ import annotations

from synthcheck.catalog import Category, Severity
from synthcheck.probe import Exchange
from synthcheck.probe.cors import PROBE_ORIGIN, CorsProbe
from synthcheck.verdicts.result import CheckResult

__all__ = ["cors"]

HEADERS = Category.SECURITY_HEADERS
BUDGET = "no foreign Origin (or *) allowed together with Access-Control-Allow-Credentials: true"


def _problem(e: Exchange) -> tuple[str | None, str]:
    """(failure, note) for one answer."""
    allowed = (e.header("access-control-allow-origin") or "").strip()
    credentials = (e.header("access-control-allow-credentials") or "").strip().lower() == "true"
    if not allowed:
        return None, ""
    if allowed == PROBE_ORIGIN:
        if credentials:
            return f"reflects any Origin ({PROBE_ORIGIN}) with credentials allowed", ""
        return None, "reflects any Origin, without credentials (a public API)"
    if allowed in ("*", "null") and credentials:
        return f"Access-Control-Allow-Origin: {allowed} with credentials allowed", ""
    return None, f"Access-Control-Allow-Origin: {allowed[:60]}"


def cors(probe: CorsProbe) -> CheckResult:
    answered = [e for e in probe.exchanges if e.status is not None]
    if probe.target is None:
        why = probe.not_sent or "no GET API endpoint to send CORS probes to"
        return CheckResult.skipped(HEADERS, why)
    if not answered:
        return CheckResult.skipped(
            HEADERS, "the CORS probes got no answer", endpoint=probe.target.id
        )
    found = [(e, *_problem(e)) for e in answered]
    lines = [
        f"{e.method} with Origin: {e.describe()}" + (f", {p or n}" if p or n else "")
        for e, p, n in found
    ]
    common = dict(
        endpoint=probe.target.id,
        budget=BUDGET,
        sample_size=len(answered),
        details=lines,
        severity=Severity.P1,
    )
    failures = [(e, p) for e, p, _ in found if p]
    if failures:
        e, problem = failures[0]
        return CheckResult.failed(
            HEADERS,
            f"CORS: {probe.target.path} {problem}: any web page can read its answers with the"
            " user's cookies",
            observed=f"{e.method}: {problem} ({len(failures)} of {len(answered)} probes)",
            **common,
        )
    notes = [n for _, _, n in found if n]
    return CheckResult.passed(
        HEADERS,
        "CORS: no foreign origin is allowed with credentials"
        + (f" ({notes[0]})" if notes else " (cross-origin reads not allowed)"),
        observed=f"{len(answered)} probes (preflight and GET with a foreign Origin)",
        **common,
    )
