"""SVG for the status page: shields-style badges and small line charts (no scripts)."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence

from synthcheck.statuspage.model import Point

__all__ = ["GREEN", "GREY", "ORANGE", "RED", "badge", "line_chart"]

GREEN, ORANGE, RED, GREY = "#2e7d32", "#ef6c00", "#c62828", "#757575"
_PALETTE = ("#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e")


def _text_width(text: str) -> int:
    # Verdana 11px averages ~6.5 px a character; shields.io measures, we estimate.
    return int(len(text) * 6.5) + 10


def badge(label: str, message: str, colour: str) -> str:
    """A flat badge, ``label | message``, readable by screen readers (role=img, title)."""
    left, right = _text_width(label), _text_width(message)
    width = left + right
    label_e, message_e = html.escape(label), html.escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img"'
        f' aria-label="{label_e}: {message_e}"><title>{label_e}: {message_e}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif"'
        ' font-size="11">'
        f'<text x="{left / 2:.1f}" y="14">{label_e}</text>'
        f'<text x="{left + right / 2:.1f}" y="14">{message_e}</text>'
        "</g></svg>\n"
    )


def _axis(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _stamp(epoch: float) -> str:
    return time.strftime("%m-%d %H:%M", time.gmtime(epoch))


def line_chart(
    title: str,
    series: Mapping[str, Sequence[Point]],
    *,
    unit: str,
    budget: float | None = None,
    scale: float = 1.0,
    width: int = 720,
    height: int = 220,
) -> str:
    """One chart, one polyline per series; ``budget`` draws a dashed limit line."""
    pad = 44
    points = [p for values in series.values() for p in values]
    if not points:
        return f'<p class="empty">{html.escape(title)}: no data yet</p>'
    x0 = min(p.at for p in points)
    x1 = max(p.at for p in points)
    top = max([p.value * scale for p in points] + [budget or 0.0]) * 1.15 or 1.0
    span = (x1 - x0) or 1.0

    def x(t: float) -> float:
        return pad + (t - x0) / span * (width - 2 * pad)

    def y(v: float) -> float:
        return height - pad - v / top * (height - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"'
        ' stroke="#999"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>',
        f'<text x="4" y="{pad - 6}" font-size="11">{_axis(top)} {html.escape(unit)}</text>',
        f'<text x="4" y="{height - pad}" font-size="11">0</text>',
        f'<text x="{pad}" y="{height - 10}" font-size="11">{_stamp(x0)} UTC</text>',
        f'<text x="{width - pad}" y="{height - 10}" font-size="11" text-anchor="end">'
        f"{_stamp(x1)} UTC</text>",
    ]
    if budget is not None:
        parts.append(
            f'<line class="budget" x1="{pad}" y1="{y(budget):.1f}" x2="{width - pad}"'
            f' y2="{y(budget):.1f}" stroke="{RED}" stroke-dasharray="4 3"/>'
            f'<text x="{width - pad}" y="{y(budget) - 4:.1f}" font-size="11" fill="{RED}"'
            f' text-anchor="end">budget {budget:g} {html.escape(unit)}</text>'
        )
    for i, (name, values) in enumerate(series.items()):
        colour = _PALETTE[i % len(_PALETTE)]
        line = " ".join(f"{x(p.at):.1f},{y(p.value * scale):.1f}" for p in values)
        if len(values) == 1:
            only = values[0]
            parts.append(
                f'<circle cx="{x(only.at):.1f}" cy="{y(only.value * scale):.1f}" r="3"'
                f' fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2"'
                f' points="{line}"/>'
            )
        parts.append(
            f'<text x="{pad + 6}" y="{pad + 14 * (i + 1)}" font-size="11" fill="{colour}">'
            f"{html.escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
