"""``summary.json`` and the views made from it, rendered together so they never disagree.

Rendered in memory from the one frozen summary: the end of the run scans every text
for known secrets before any of them is written (:mod:`synthcheck.endofrun`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from synthcheck.reporting.allure_extras import render_allure_extras
from synthcheck.reporting.frozen import FrozenSummary
from synthcheck.reporting.html import render_html
from synthcheck.reporting.markdown import render_markdown

__all__ = ["render_views", "write_texts"]


def render_views(
    reports_dir: Path, summary: FrozenSummary, allure_dir: Path | None = None
) -> dict[Path, str]:
    """summary.json (for machines), summary.html and summary.md (for people), and the
    Allure extras when Allure writes results, by path."""
    data = summary.data()
    texts = {
        reports_dir / "summary.json": summary.json_text(),
        reports_dir / "summary.html": render_html(data),
        reports_dir / "summary.md": render_markdown(data),
    }
    if allure_dir is not None:
        texts.update(render_allure_extras(allure_dir, data))
    return texts


def write_texts(texts: Mapping[Path, str]) -> None:
    """Write each file atomically (a reader never sees half a file)."""
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
