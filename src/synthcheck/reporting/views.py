"""``summary.json`` and the views made from it, written together so they never disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from synthcheck.reporting.allure_extras import write_allure_extras
from synthcheck.reporting.html import render_html
from synthcheck.reporting.markdown import render_markdown
from synthcheck.reporting.summary import write_summary
from synthcheck.secrets import Redactor

__all__ = ["publish_summary"]


def publish_summary(
    reports_dir: Path,
    summary: dict[str, Any],
    redactor: Redactor,
    allure_dir: Path | None = None,
) -> None:
    """summary.json (for machines), summary.html and summary.md (for people), and the
    Allure extras when Allure writes results: every one through the redactor."""
    write_summary(reports_dir / "summary.json", summary, redactor)
    clean = cast(dict[str, Any], redactor.redact_obj(summary))
    (reports_dir / "summary.html").write_text(render_html(clean), encoding="utf-8")
    (reports_dir / "summary.md").write_text(render_markdown(clean), encoding="utf-8")
    if allure_dir is not None:
        write_allure_extras(allure_dir, clean)
