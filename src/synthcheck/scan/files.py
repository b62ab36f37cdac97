"""Scan files and directory trees: every finding with its path, line and column."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from synthcheck.leaks import LeakScanner, line_and_column
from synthcheck.leaks.findings import Finding
from synthcheck.scan.allowlist import INLINE_MARK, Allowlist
from synthcheck.scan.reader import is_binary, pieces
from synthcheck.scan.walk import Walk, display_path

__all__ = ["FileFinding", "ScanReport", "scan_paths"]


@dataclass(frozen=True)
class FileFinding:
    path: str  # as printed (relative to the working directory when below it)
    line: int
    column: int
    rule: str
    kind: str
    title: str
    masked: str  # the finding described, never the value
    fingerprint: str
    binary: bool = False
    commit: str = ""  # scan --git: the commit that added the line, and its author date
    date: str = ""


@dataclass
class ScanReport:
    findings: list[FileFinding] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    binary_files: int = 0
    allowed: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    commits: int = 0  # scan --git: commits whose added lines were scanned

    def add(
        self,
        finding: Finding,
        allowlist: Allowlist,
        *,
        path: str,
        line: int,
        column: int,
        line_text: str,
        binary: bool = False,
        commit: str = "",
        date: str = "",
    ) -> None:
        """Keep a finding, or count it as accepted (inline mark on its line, allowlist)."""
        if INLINE_MARK in line_text or allowlist.allows(path, finding.rule, finding.fingerprint):
            self.allowed += 1
            return
        self.findings.append(
            FileFinding(
                path=path,
                line=line,
                column=column,
                rule=finding.rule,
                kind=finding.kind,
                title=finding.title,
                masked=finding.describe(),
                fingerprint=finding.fingerprint,
                binary=binary,
                commit=commit,
                date=date,
            )
        )

    def summary(self) -> str:
        paths = len({f.path for f in self.findings})
        megabytes = self.bytes / 1e6
        rate = megabytes / self.seconds if self.seconds > 0 else 0.0
        notes = [f"{self.binary_files} binary"] if self.binary_files else []
        if self.commits:
            notes.append(f"{self.commits} commit(s) of git history")
        if self.allowed:
            notes.append(f"{self.allowed} allowed by the allowlist")
        if self.skipped:
            notes.append(f"{len(self.skipped)} skipped")
        extra = f"; {', '.join(notes)}" if notes else ""
        return (
            f"synthcheck scan: {len(self.findings)} finding(s) in {paths} file(s)"
            f" ({self.files} files, {megabytes:.1f} MB in {self.seconds:.2f} s,"
            f" {rate:.0f} MB/s{extra})"
        )


def _line_text(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end != -1 else len(text)]


def _scan_file(
    path: Path, shown: str, scanner: LeakScanner, allowlist: Allowlist, report: ScanReport
) -> None:
    with path.open("rb") as handle:
        binary = is_binary(handle.read(8192))
    report.binary_files += binary
    for piece in pieces(path, binary):
        for finding in scanner.scan(piece.text, decode=not binary):
            if finding.end <= piece.own_from:
                continue  # wholly inside the overlap: the previous piece saw and reported it
            if not piece.last and finding.end >= len(piece.text):
                continue  # cut off by the piece's end: the next piece sees it whole
            line, column = line_and_column(piece.text, finding.start)
            report.add(
                finding,
                allowlist,
                path=shown,
                line=piece.first_line + line - 1,
                column=column,
                line_text=_line_text(piece.text, finding.start),
                binary=binary,
            )


def scan_paths(
    roots: Sequence[Path],
    scanner: LeakScanner,
    *,
    allowlist: Allowlist | None = None,
    excludes: Sequence[str] = (),
    max_file_bytes: int = 512 * 1024 * 1024,
) -> ScanReport:
    allowlist = allowlist or Allowlist()
    report = ScanReport()
    started = time.perf_counter()
    walk = Walk(roots, excludes)
    for path in walk.files():
        shown = display_path(path)
        try:
            size = path.stat().st_size
            if size > max_file_bytes:
                report.skipped.append(f"{shown} ({size:,} bytes, over the size limit)")
                continue
            if allowlist.path_allowed(shown):
                continue
            _scan_file(path, shown, scanner, allowlist, report)
        except OSError as exc:
            report.skipped.append(f"{shown} (unreadable: {exc.strerror})")
            continue
        report.files += 1
        report.bytes += size
    report.skipped += walk.skipped
    report.seconds = time.perf_counter() - started
    return report
