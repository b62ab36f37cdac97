"""Hand-made run records for history and alert tests (simulated clocks: any timestamps)."""

from __future__ import annotations

from typing import Any

from synthcheck.history import CheckRecord, RunRecord

T0 = 1_790_000_000.0  # a fixed "now" in 2026; tests move time by adding seconds


def check(
    category: str, outcome: str = "passed", check_id: str | None = None, **metrics: Any
) -> CheckRecord:
    return CheckRecord(
        check_id=check_id or f"{category}.x[GET /api/x]",
        category=category,
        outcome=outcome,
        severity="P1",
        endpoint="GET /api/x",
        runbook="api-error-spike",
        message=f"{category} {outcome}",
        metrics=metrics,
    )


def run(
    at: float,
    *checks: CheckRecord,
    env: str = "production",
    version: str | None = "1.4.2",
    suite: str = "canary",
    runner: str = "eu-west",
) -> RunRecord:
    outcome = "failed" if any(c.bad for c in checks) else "passed"
    return RunRecord(
        env=env,
        suite=suite,
        base_url="https://fred.example.com",
        started_at=at,
        duration_s=2.5,
        outcome=outcome,
        version=version,
        runner=runner,
        checks=tuple(checks) or (check("availability"),),
    )
