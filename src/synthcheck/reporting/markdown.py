"""``reports/summary.md``: the run's verdict for a CI job summary (GitHub's step summary)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

__all__ = ["render_markdown"]

_ICONS = {"passed": "✅", "failed": "❌", "error": "💥", "warned": "⚠️", "skipped": "⏭️"}


def _cell(text: Any) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(summary: Mapping[str, Any]) -> str:
    counts = summary["counts"]
    verdict = "✅ PASSED" if summary["outcome"] == "passed" else "❌ FAILED"
    lines = [
        f"## synthcheck: {verdict}: `{summary['env']}` · {summary['suite']}",
        "",
        f"{summary['base_url']} · {counts['passed']} passed, {counts['failed']} failed,"
        f" {counts['error']} errors, {counts['warned']} warned, {counts['skipped']} skipped"
        f" in {summary['duration_s']:.1f} s"
        + (" · **rollback recommended**" if summary["rollback_recommended"] else ""),
        "",
    ]
    alerts = summary.get("alerts") or []
    if alerts:
        lines += [
            "**Alerts firing:** " + ", ".join(f"{a['rule']} ({a['severity']})" for a in alerts),
            "",
        ]
    notable = [c for c in summary["checks"] if c["outcome"] in ("failed", "error", "warned")]
    if notable:
        lines += [
            "| | check | severity | observed | budget | runbook |",
            "|---|---|---|---|---|---|",
        ]
        for c in notable:
            lines.append(
                f"| {_ICONS[c['outcome']]} | `{_cell(c['id'])}` | {c['severity']} |"
                f" {_cell(c['observed'])} | {_cell(c['budget'])} | {c['runbook']} |"
            )
        lines.append("")
    by_category: dict[str, Counter[str]] = {}
    for c in summary["checks"]:
        by_category.setdefault(c["category"], Counter())[c["outcome"]] += 1
    lines += [
        "<details><summary>All categories</summary>",
        "",
        "| category | results |",
        "|---|---|",
    ]
    for category in sorted(by_category):
        tally = ", ".join(f"{n} {o}" for o, n in sorted(by_category[category].items()))
        lines.append(f"| {category} | {tally} |")
    lines += ["", "</details>", ""]
    return "\n".join(lines)
