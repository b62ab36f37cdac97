"""``reports/summary.html``: the run's verdict as one self-contained page (no scripts,
no network), for people without Allure."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

__all__ = ["render_html"]

_COLOURS = {
    "failed": "#b42318",
    "error": "#7a271a",
    "warned": "#b54708",
    "skipped": "#667085",
    "passed": "#027a48",
}
_ORDER = {"failed": 0, "error": 1, "warned": 2, "skipped": 3, "passed": 4}


def _e(value: Any) -> str:
    return html.escape(str(value if value is not None else ""))


def _row(check: Mapping[str, Any]) -> str:
    colour = _COLOURS[check["outcome"]]
    details = "".join(f"<div class='d'>{_e(d)}</div>" for d in check.get("details") or [])
    reproduce = f"<code>{_e(check['reproduce'])}</code>" if check.get("reproduce") else ""
    return (
        f"<tr><td style='color:{colour};font-weight:bold'>{_e(check['outcome'])}</td>"
        f"<td>{_e(check['severity'])}</td><td>{_e(check['category'])}</td>"
        f"<td><b>{_e(check['id'])}</b><div>{_e(check['message'])}</div>{details}</td>"
        f"<td>{_e(check['observed'])}</td><td>{_e(check['budget'])}</td>"
        f"<td>{_e(check['runbook'])}</td><td>{reproduce}</td></tr>"
    )


def render_html(summary: Mapping[str, Any]) -> str:
    counts = summary["counts"]
    passed = summary["outcome"] == "passed"
    checks = sorted(summary["checks"], key=lambda c: (_ORDER[c["outcome"]], c["category"], c["id"]))
    alerts = summary.get("alerts") or []
    alert_html = (
        "<p><b>Alerts firing:</b> "
        + ", ".join(f"{_e(a['rule'])} ({_e(a['severity'])}): {_e(a['detail'])}" for a in alerts)
        + "</p>"
        if alerts
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>synthcheck: {_e(summary["env"])} {_e(summary["suite"])} {_e(summary["outcome"])}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;color:#101828}}
h1{{font-size:1.4em}} .verdict{{color:{"#027a48" if passed else "#b42318"}}}
table{{border-collapse:collapse;width:100%;font-size:.9em}}
th,td{{border-bottom:1px solid #eaecf0;padding:.4em;text-align:left;vertical-align:top}}
th{{background:#f9fafb}} code{{font-size:.85em;word-break:break-all}} .d{{color:#475467}}
</style></head><body>
<h1>synthcheck: <span class="verdict">{"PASSED" if passed else "FAILED"}</span>
· {_e(summary["env"])} · {_e(summary["suite"])}</h1>
<p>{_e(summary["base_url"])} · started {_e(summary["started_at"])} · {summary["duration_s"]:.1f} s ·
{counts["passed"]} passed, {counts["failed"]} failed, {counts["error"]} errors,
{counts["warned"]} warned, {counts["skipped"]} skipped
{"· <b>rollback recommended</b>" if summary["rollback_recommended"] else ""}</p>
{alert_html}
<table><thead><tr><th>outcome</th><th>sev.</th><th>category</th><th>check</th>
<th>observed</th><th>budget</th><th>runbook</th><th>reproduce</th></tr></thead>
<tbody>
{"".join(_row(c) for c in checks)}
</tbody></table></body></html>
"""
