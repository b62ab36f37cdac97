"""``reports/summary.json``: the run's verdict for machines (schema_version 1).

Other tools parse this file; the fields and their meaning are a contract (see
DESIGN.md and ``summary_schema.json``). Everything passes the redactor first.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from synthcheck.secrets import Redactor
from synthcheck.verdicts import CheckResult, Outcome

__all__ = ["RunInfo", "build_summary", "run_outcome", "write_summary"]

SCHEMA_VERSION = 1
_ORDER = {
    o: i
    for i, o in enumerate(
        [Outcome.FAILED, Outcome.ERROR, Outcome.WARNED, Outcome.SKIPPED, Outcome.PASSED]
    )
}


@dataclass
class RunInfo:
    env: str
    base_url: str
    suite: str
    started_at: float
    finished_at: float
    extra: dict[str, Any] = field(default_factory=dict)


def run_outcome(results: Sequence[CheckResult]) -> str:
    """``failed`` when a check failed or errored, or when nothing was checked."""
    bad = any(r.outcome in (Outcome.FAILED, Outcome.ERROR) for r in results)
    return "failed" if bad or not results else "passed"


def build_summary(run: RunInfo, results: Sequence[CheckResult]) -> dict[str, Any]:
    counts = Counter(r.outcome.value for r in results)
    ordered = sorted(results, key=lambda r: (_ORDER[r.outcome], r.category.value, r.id))
    outcome = run_outcome(results)
    checks = []
    for r in ordered:
        entry = r.to_dict()
        checks.append(
            {
                "id": entry["id"],
                "category": entry["category"],
                "endpoint": entry["endpoint"],
                "outcome": entry["outcome"],
                "severity": entry["severity"],
                "runbook": entry["runbook"],
                "message": entry["message"],
                "observed": entry["observed"],
                "budget": entry["budget"],
                "sample_size": entry["sample_size"],
                "reproduce": entry["reproduce"],
                "metrics": entry["metrics"],
                "details": entry["details"],
            }
        )
    summary: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "env": run.env,
        "base_url": run.base_url,
        "suite": run.suite,
        "started_at": datetime.fromtimestamp(run.started_at, UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "duration_s": round(run.finished_at - run.started_at, 3),
        "outcome": outcome,
        "counts": {
            **{o.value: counts.get(o.value, 0) for o in Outcome},
            "total": len(results),
        },
        # Exit code 1 means "roll back"; the flag says the same for tools that
        # read the file instead of the exit code.
        "rollback_recommended": outcome == "failed",
        "checks": checks,
    }
    summary.update(run.extra)
    return summary


def write_summary(path: Path, summary: dict[str, Any], redactor: Redactor) -> None:
    """Write atomically (a reader never sees half a file), redacted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = redactor.redact_obj(summary)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(clean, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
