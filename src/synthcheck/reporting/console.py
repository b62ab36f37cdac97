"""The terminal summary: failures first, grouped by category, each explaining itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from synthcheck.verdicts import CheckResult, Outcome

__all__ = ["explain", "render_summary"]

RunbookLink = Callable[[str], str]


def explain(result: CheckResult, runbook_link: RunbookLink) -> str:
    """Budget, observation (with sample size), reproduction, runbook: one line each."""
    lines = [result.message]
    if result.budget:
        lines.append(f"budget:    {result.budget}")
    if result.observed:
        n = f" [n={result.sample_size}]" if result.sample_size is not None else ""
        lines.append(f"observed:  {result.observed}{n}")
    lines += [f"           {d}" for d in result.details[:3]]
    if result.reproduce:
        lines.append(f"reproduce: {result.reproduce}")
    if result.runbook:
        lines.append(f"runbook:   {result.runbook} ({runbook_link(result.runbook)})")
    return "\n".join(lines)


def _block(title: str, results: Sequence[CheckResult], runbook_link: RunbookLink) -> list[str]:
    if not results:
        return []
    lines = [f"{title} ({len(results)})"]
    by_category: dict[str, list[CheckResult]] = defaultdict(list)
    for r in results:
        by_category[r.category.value].append(r)
    for category in sorted(by_category, key=lambda c: min(str(r.severity) for r in by_category[c])):
        for r in by_category[category]:
            lines.append(f"  [{r.severity} {category}] {r.id}")
            lines += [f"      {line}" for line in explain(r, runbook_link).splitlines()]
    return lines


def render_summary(
    summary: dict[str, Any], results: Sequence[CheckResult], runbook_link: RunbookLink, reports: str
) -> str:
    failed = [r for r in results if r.outcome in (Outcome.FAILED, Outcome.ERROR)]
    warned = [r for r in results if r.outcome == Outcome.WARNED]
    lines = [
        f"synthcheck · env={summary['env']} · suite={summary['suite']} · {summary['base_url']}",
    ]
    lines += _block("FAILED", failed, runbook_link)
    lines += _block("WARNINGS", warned, runbook_link)
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in results:
        tallies[r.category.value][r.outcome.value] += 1
    lines.append("by category:")
    for category in sorted(tallies, key=lambda c: (-tallies[c].get("failed", 0), c)):
        parts = ", ".join(f"{n} {o}" for o, n in sorted(tallies[category].items()))
        lines.append(f"  {category:<17} {parts}")
    counts = summary["counts"]
    verdict = "PASSED" if summary["outcome"] == "passed" else "FAILED"
    tail = "; rollback recommended" if summary["rollback_recommended"] else ""
    lines.append(
        f"RESULT: {verdict}: {counts['failed']} failed, {counts['error']} errors,"
        f" {counts['warned']} warned, {counts['passed']} passed, {counts['skipped']} skipped"
        f" in {summary['duration_s']:.1f} s{tail}"
    )
    lines.append(f"reports: {reports}")
    return "\n".join(lines)
