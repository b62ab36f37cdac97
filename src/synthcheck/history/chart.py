"""A self-contained HTML trend chart (inline SVG, no scripts, no network) of a history."""

from __future__ import annotations

import html
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from synthcheck.history.records import RunRecord

__all__ = ["render_chart", "write_chart"]

_W, _H, _PAD = 720, 220, 40
_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

Series = dict[str, list[tuple[float, float]]]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _collect(runs: Sequence[RunRecord]) -> dict[str, Series]:
    charts: dict[str, Series] = defaultdict(lambda: defaultdict(list))
    for run in sorted(runs, key=lambda r: r.started_at):
        for check in run.checks:
            where = check.endpoint or check.check_id
            for key in ("p50_ms", "p95_ms", "p99_ms"):
                value = _number(check.metrics.get(key))
                if value is not None and check.category in ("latency", "liveness"):
                    charts[f"latency (ms): {where}"][key].append((run.started_at, value))
            rate = _number(check.metrics.get("error_rate"))
            if rate is not None and check.category == "error_rate":
                charts["error rate (%)"][where].append((run.started_at, rate * 100))
            memory = _number(check.metrics.get("memory_percent"))
            if memory is not None:
                charts["memory (%)"]["used"].append((run.started_at, memory))
    return charts


def _stamp(epoch: float) -> str:
    return time.strftime("%m-%d %H:%M", time.gmtime(epoch))


def _svg(title: str, series: Series) -> str:
    points = [p for values in series.values() for p in values]
    if not points:
        return ""
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y1 = max(p[1] for p in points) * 1.1 or 1.0
    span = (x1 - x0) or 1.0

    def xy(t: float, v: float) -> str:
        x = _PAD + (t - x0) / span * (_W - 2 * _PAD)
        y = _H - _PAD - v / y1 * (_H - 2 * _PAD)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" role="img">',
        f"<title>{html.escape(title)}</title>",
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>',
        f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_H - _PAD}" stroke="#999"/>',
        f'<text x="4" y="{_PAD}" font-size="11">{y1:.3g}</text>',
        f'<text x="4" y="{_H - _PAD}" font-size="11">0</text>',
        f'<text x="{_PAD}" y="{_H - 8}" font-size="11">{_stamp(x0)}</text>',
        f'<text x="{_W - _PAD - 70}" y="{_H - 8}" font-size="11">{_stamp(x1)}</text>',
    ]
    for i, (name, values) in enumerate(sorted(series.items())):
        colour = _COLOURS[i % len(_COLOURS)]
        line = " ".join(xy(t, v) for t, v in values)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        parts.append(
            f'<text x="{_W - _PAD - 150}" y="{_PAD + 14 * i}" font-size="11" fill="{colour}">'
            f"{html.escape(name)}</text>"
        )
    parts.append("</svg>")
    return f"<h2>{html.escape(title)}</h2>\n" + "\n".join(parts)


def render_chart(runs: Sequence[RunRecord], *, env: str) -> str:
    charts = _collect(runs)
    body = [_svg(title, series) for title, series in sorted(charts.items())]
    content = "\n".join(b for b in body if b) or "<p>No figures in this history yet.</p>"
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>synthcheck trends: {html.escape(env)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}h2{font-size:1em}</style></head><body>"
        f"<h1>synthcheck trends: {html.escape(env)} ({len(runs)} runs)</h1>\n"
        f"{content}\n</body></html>\n"
    )


def write_chart(path: Path, runs: Sequence[RunRecord], *, env: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_chart(runs, env=env), encoding="utf-8")
    return path
