"""The last step of every run: our own reports must not contain a known secret."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synthcheck.secrets import Redactor

__all__ = ["ReportLeak", "scan_reports"]

_MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ReportLeak:
    path: Path
    secret_name: str
    encoding: str


def scan_reports(root: Path, redactor: Redactor) -> list[ReportLeak]:
    """Every file under ``root`` that holds a known secret (in any encoded form)."""
    if not redactor or not root.is_dir():
        return []
    leaks: list[ReportLeak] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.stat().st_size > _MAX_FILE_BYTES:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for hit in redactor.hits(text)[:1]:
            leaks.append(ReportLeak(path, hit.secret_name, hit.encoding))
    return leaks
