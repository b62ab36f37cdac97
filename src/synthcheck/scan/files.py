"""Scan files and directory trees: every finding with its path, line and column."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from synthcheck.leaks import LeakScanner
from synthcheck.leaks.findings import Finding
from synthcheck.scan.allowlist import INLINE_MARK, Allowlist
from synthcheck.scan.lines import Lines
from synthcheck.scan.reader import pieces
from synthcheck.scan.walk import Walk
from synthcheck.scan.workers import MIN_PARALLEL_BYTES, ordered_map

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


@dataclass(frozen=True)
class _Hit:
    finding: Finding  # already masked: no secret value in it
    line: int
    column: int
    marked: bool  # the line carries the inline allow mark


@dataclass(frozen=True)
class _Scanned:
    binary: bool = False
    hits: tuple[_Hit, ...] = ()
    error: str = ""  # unreadable: the OS's reason


def _scan_file(path: Path, scanner: LeakScanner) -> _Scanned:
    """One file's findings with their lines (runs in a worker process with ``jobs``)."""
    binary = False
    hits: list[_Hit] = []
    try:
        for piece in pieces(path):
            binary = piece.binary
            lines = Lines(piece.text)
            for finding in scanner.scan(piece.text, decode=not binary):
                if finding.end <= piece.own_from:
                    continue  # wholly inside the overlap: the previous piece reported it
                if not piece.last and finding.end >= len(piece.text):
                    continue  # cut off by the piece's end: the next piece sees it whole
                line, column, line_text = lines.at(finding.start)
                line += piece.first_line - 1
                hits.append(_Hit(finding, line, column, INLINE_MARK in line_text))
    except OSError as exc:  # what was read before the error is still reported
        return _Scanned(binary, tuple(hits), exc.strerror or type(exc).__name__)
    return _Scanned(binary, tuple(hits))


def _candidates(
    walk: Walk, allowlist: Allowlist, max_file_bytes: int
) -> list[tuple[Path, str, int] | str]:
    """The files to read with their sizes, in walk order, or a note on why one is skipped."""
    found: list[tuple[Path, str, int] | str] = []
    for path, shown in walk.shown_files():
        try:
            size = path.stat().st_size
        except OSError as exc:
            found.append(f"{shown} (unreadable: {exc.strerror})")
            continue
        if size > max_file_bytes:
            found.append(f"{shown} ({size:,} bytes, over the size limit)")
        elif not allowlist.path_allowed(shown):
            found.append((path, shown, size))
    return found


def scan_paths(
    roots: Sequence[Path],
    scanner: LeakScanner,
    *,
    allowlist: Allowlist | None = None,
    excludes: Sequence[str] = (),
    max_file_bytes: int = 512 * 1024 * 1024,
    jobs: int = 1,
) -> ScanReport:
    """Scan every file under ``roots``; ``jobs > 1`` spreads the files over that many
    forked processes (same findings, same order) when there are enough bytes to pay
    for starting them."""
    allowlist = allowlist or Allowlist()
    report = ScanReport()
    started = time.perf_counter()
    walk = Walk(roots, excludes)
    entries = _candidates(walk, allowlist, max_file_bytes)
    files = [entry for entry in entries if not isinstance(entry, str)]
    if sum(size for _, _, size in files) < MIN_PARALLEL_BYTES:
        jobs = 1
    results = iter(
        ordered_map(partial(_scan_file, scanner=scanner), [p for p, _, _ in files], jobs)
    )
    for entry in entries:
        if isinstance(entry, str):
            report.skipped.append(entry)
            continue
        _, shown, size = entry
        scanned = next(results)
        report.binary_files += scanned.binary
        for hit in scanned.hits:
            report.add(
                hit.finding,
                allowlist,
                path=shown,
                line=hit.line,
                column=hit.column,
                line_text=INLINE_MARK if hit.marked else "",
                binary=scanned.binary,
            )
        if scanned.error:
            report.skipped.append(f"{shown} (unreadable: {scanned.error})")
            continue
        report.files += 1
        report.bytes += size
    report.skipped += walk.skipped
    report.seconds = time.perf_counter() - started
    return report
