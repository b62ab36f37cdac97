"""Write the status site: index.html, status.json and badges/*.svg, all self-contained.

Nothing on the page loads from the network (inline CSS and SVG, no scripts), so it
can be published as a GitHub Pages artifact or opened from disk. Badge paths are
stable (``badges/status.svg``, ``badges/uptime-30d.svg``, ``badges/p95.svg``) so a
README can link them once.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from synthcheck.statuspage.model import WINDOWS, Incident, StatusData, Uptime
from synthcheck.statuspage.svg import GREEN, GREY, ORANGE, RED, badge, line_chart

__all__ = ["render_html", "render_json", "write_site"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:960px;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
.state{display:inline-block;padding:.3rem .8rem;border-radius:4px;color:#fff;font-weight:600}
.passed{background:#2e7d32}.failed{background:#c62828}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;font-size:.92rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.good{color:#2e7d32}.warn{color:#ef6c00}.bad{color:#c62828}.none{color:#999}
.badges img{margin-right:.4rem}.empty{color:#999}
"""


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f} %"


def _tone(value: float | None) -> str:
    if value is None:
        return "none"
    return "good" if value >= 0.999 else ("warn" if value >= 0.99 else "bad")


def _colour(value: float | None) -> str:
    return {"good": GREEN, "warn": ORANGE, "bad": RED, "none": GREY}[_tone(value)]


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "ongoing"
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def _uptime_rows(rows: tuple[Uptime, ...] | list[Uptime]) -> str:
    head = "".join(f'<th class="num">{name}</th>' for name, _ in WINDOWS)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num {_tone(row.ratios[name])}" title="{row.runs[name]} runs">'
            f"{_pct(row.ratios[name])}</td>"
            for name, _ in WINDOWS
        )
        body.append(f"<tr><td>{html.escape(row.label)}</td>{cells}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"


def _incident_rows(incidents: tuple[Incident, ...], link: Callable[[str], str]) -> str:
    if not incidents:
        return '<p class="empty">No incidents in the history.</p>'
    rows = []
    for i in incidents:
        state = "resolved" if i.resolved_at is not None else "firing"
        rollback = html.escape(i.rollback_target) if i.rollback_target else "none known"
        rows.append(
            f'<tr class="incident {state}"><td>{html.escape(i.severity)}</td>'
            f"<td>{html.escape(i.rule)}</td><td>{_when(i.fired_at)}</td>"
            f'<td class="{"good" if i.resolved_at else "bad"}">{_when(i.resolved_at)}</td>'
            f"<td>{html.escape(i.detail)}</td>"
            f'<td><a href="{html.escape(link(i.runbook))}">{html.escape(i.runbook)}</a></td>'
            f"<td>{rollback}</td></tr>"
        )
    return (
        "<table><tr><th>severity</th><th>alert</th><th>fired</th><th>resolved</th>"
        "<th>detail</th><th>runbook</th><th>rollback target</th></tr>" + "".join(rows) + "</table>"
    )


def render_html(
    data: StatusData,
    *,
    runbook_link: Callable[[str], str],
    p95_budget_ms: float | None,
    error_budget: float | None,
) -> str:
    e = html.escape
    version = f" · version {e(data.latest_version)}" if data.latest_version else ""
    failing = (
        "<p>Failing now: " + ", ".join(e(c) for c in data.latest_failing) + "</p>"
        if data.latest_failing
        else ""
    )
    badges = "".join(
        f'<img src="badges/{name}.svg" alt="{name}">'
        for name in ("status", *(f"uptime-{w}" for w, _ in WINDOWS), "p95")
    )
    p95 = line_chart("P95 per endpoint", data.p95_ms, unit="ms", budget=p95_budget_ms)
    errors = line_chart(
        "error rate per endpoint",
        data.error_rate,
        unit="%",
        scale=100.0,
        budget=None if error_budget is None else error_budget * 100,
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<title>{e(data.env)} status</title><style>{_CSS}</style></head>
<body>
<h1>{e(data.env)}</h1>
<p class="sub">{e(data.base_url)} · {data.runs_total} runs · updated {_when(data.generated_at)}</p>
<p><span id="state" class="state {e(data.latest_outcome)}">{e(data.latest_outcome.upper())}</span>
last run {_when(data.latest_at)}{version}</p>
{failing}
<p class="badges">{badges}</p>
<h2>Uptime</h2>
{_uptime_rows([data.overall])}
<h3>Per check family</h3>
{_uptime_rows(data.families)}
<h3>Per endpoint</h3>
{_uptime_rows(data.endpoints)}
<h2>Response time</h2>
{p95}
<h2>Error rate</h2>
{errors}
<h2>Incidents</h2>
{_incident_rows(data.incidents, runbook_link)}
<p class="sub">Generated by synthcheck status-page; feed: <a href="status.json">status.json</a>.</p>
</body></html>
"""


def render_json(data: StatusData) -> dict[str, Any]:
    feed = asdict(data)
    feed["schema_version"] = 1
    for key in ("p95_ms", "error_rate"):
        feed[key] = {
            name: [[p["at"], p["value"]] for p in points] for name, points in feed[key].items()
        }
    return feed


def _latest_p95(data: StatusData) -> float | None:
    latest = [points[-1] for points in data.p95_ms.values() if points]
    fresh = [p.value for p in latest if p.at == data.latest_at]
    return max(fresh) if fresh else None


def _badges(data: StatusData, p95_budget_ms: float | None) -> dict[str, str]:
    passed = data.latest_outcome == "passed"
    out = {"status": badge(data.env, "passing" if passed else "failing", GREEN if passed else RED)}
    for window, _ in WINDOWS:
        ratio = data.overall.ratios[window]
        out[f"uptime-{window}"] = badge(f"uptime {window}", _pct(ratio), _colour(ratio))
    p95 = _latest_p95(data)
    over = p95 is not None and p95_budget_ms is not None and p95 > p95_budget_ms
    out["p95"] = badge(
        "p95",
        "—" if p95 is None else f"{p95:.0f} ms",
        GREY if p95 is None else (RED if over else GREEN),
    )
    return out


def write_site(
    out_dir: Path,
    data: StatusData,
    *,
    runbook_link: Callable[[str], str],
    p95_budget_ms: float | None,
    error_budget: float | None,
) -> list[Path]:
    (out_dir / "badges").mkdir(parents=True, exist_ok=True)
    written = []
    page = render_html(
        data, runbook_link=runbook_link, p95_budget_ms=p95_budget_ms, error_budget=error_budget
    )
    for path, text in (
        (out_dir / "index.html", page),
        (out_dir / "status.json", json.dumps(render_json(data), indent=2) + "\n"),
        *(
            (out_dir / "badges" / f"{n}.svg", svg)
            for n, svg in _badges(data, p95_budget_ms).items()
        ),
    ):
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
