"""``synthcheck scan --git``: the lines every commit added, because removed is not rotated.

A key committed and deleted in the next commit is still in every clone. This reads
``git log -p`` as a stream (never the whole history in memory), keeps the added lines
of each file of each commit, and scans them with the same :class:`LeakScanner` as the
tree. Each finding names the commit, its author date and the path; line numbers are
the file's lines in that commit. Bounded: at most ``max_commits`` commits, and the
added lines of one file in one commit are scanned in pieces of :data:`PIECE_CHARS`.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from synthcheck.leaks import LeakScanner
from synthcheck.scan.allowlist import Allowlist
from synthcheck.scan.files import ScanReport
from synthcheck.scan.lines import Lines

__all__ = ["GitError", "is_git_tree", "scan_history"]

PIECE_CHARS = 1024 * 1024
_MARK = "\x1esynthcheck-commit "
_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


class GitError(Exception):
    """git is missing, the path is not a repository, or the range is not valid."""


def is_git_tree(path: Path) -> bool:
    """Is ``path`` inside a git work tree (and git installed)?"""
    directory = path if path.is_dir() else path.parent
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


@dataclass
class _FileChange:
    """The added lines of one file in one commit."""

    commit: str
    date: str
    path: str
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the file's line number of each
    size: int = 0

    def add(self, text: str, number: int) -> None:
        self.lines.append(text)
        self.numbers.append(number)
        self.size += len(text) + 1


def _log_command(root: Path, rev_range: str, max_commits: int) -> list[str]:
    return [
        "git",
        "-C",
        str(root),
        "-c",
        "core.quotePath=false",
        "log",
        "-p",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--unified=0",
        "--no-renames",
        "--diff-filter=AM",  # files added or changed: their "+" lines are what they added
        f"--max-count={max_commits}",
        f"--format={_MARK}%H %aI",
        rev_range,
        "--",
    ]


def _target_path(header: str) -> str | None:
    """The path of a ``+++ b/PATH`` header (git quotes unusual names: ``"b/a\\tb"``)."""
    if header.startswith('"') and header.endswith('"'):
        header = header[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        header = header.encode("latin-1", "replace").decode("utf-8", "replace")
    return header[2:] if header.startswith("b/") else None


def _changes(lines: Iterator[str], commits: set[str]) -> Iterator[_FileChange]:
    """Parse ``git log -p --unified=0`` into the added lines of each file of each commit."""
    commit = date = ""
    current: _FileChange | None = None
    number = 0
    in_header = False  # between "diff --git" and the first "@@": "+++ " names the file
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith(_MARK):
            if current is not None and current.lines:
                yield current
            current, in_header = None, False
            commit, _, date = line[len(_MARK) :].partition(" ")
            commits.add(commit)
        elif line.startswith("diff --git "):
            if current is not None and current.lines:
                yield current
            current, in_header = None, True
        elif in_header and line.startswith("+++ "):
            path = _target_path(line[4:])
            current = _FileChange(commit, date, path) if path else None
        elif line.startswith("@@"):
            in_header = False
            hunk = _HUNK.match(line)
            number = int(hunk.group(1)) if hunk else 0
        elif not in_header and line.startswith("+") and current is not None:
            current.add(line[1:], number)
            number += 1
            if current.size > PIECE_CHARS:
                yield current  # a huge addition: scanned in pieces of whole lines
                current = _FileChange(commit, date, current.path)
    if current is not None and current.lines:
        yield current


def _excluded(path: str, excludes: Sequence[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(name, g) for g in excludes)


def _scan_change(
    change: _FileChange, scanner: LeakScanner, allowlist: Allowlist, report: ScanReport
) -> None:
    if allowlist.path_allowed(change.path):
        return
    text = "\n".join(change.lines)
    report.bytes += len(text)
    lines = Lines(text)
    for finding in scanner.scan(text):
        line, column, _ = lines.at(finding.start)
        report.add(
            finding,
            allowlist,
            path=change.path,
            line=change.numbers[line - 1],
            column=column,
            line_text=change.lines[line - 1],
            commit=change.commit,
            date=change.date,
        )


def scan_history(
    root: Path,
    scanner: LeakScanner,
    *,
    rev_range: str = "HEAD",
    allowlist: Allowlist | None = None,
    max_commits: int = 10_000,
    excludes: Sequence[str] = (),
    report: ScanReport | None = None,
) -> ScanReport:
    """Scan the lines added by the commits of ``rev_range`` in the repository at ``root``.

    Paths are as git prints them (relative to the repository's top); ``excludes`` are
    globs as for the tree (against the path or the file name). Raises
    :class:`GitError` (with git's own message) when git cannot list the range.
    """
    if rev_range.startswith("-"):
        raise GitError(f"{rev_range!r} is not a revision range (it would be a git option)")
    allowlist = allowlist or Allowlist()
    report = report if report is not None else ScanReport()
    started = time.perf_counter()
    directory = root if root.is_dir() else root.parent
    with tempfile.TemporaryFile() as errors:  # a file, so a chatty stderr never blocks git
        try:
            process = subprocess.Popen(
                _log_command(directory, rev_range, max_commits),
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror}") from None
        stdout = process.stdout
        if stdout is None:  # pragma: no cover - stdout=PIPE always gives a stream
            raise GitError("cannot read git's output")
        commits: set[str] = set()
        try:
            for change in _changes(iter(stdout), commits):
                if not _excluded(change.path, excludes):
                    _scan_change(change, scanner, allowlist, report)
        finally:
            stdout.close()
            if process.poll() is None:
                process.kill()  # stopped early (an error): do not leave git running
            code = process.wait()
        errors.seek(0)
        error = errors.read().decode("utf-8", errors="replace")
    if code != 0:
        message = error.strip().splitlines()[0] if error.strip() else f"git exited with {code}"
        raise GitError(message)
    report.commits += len(commits)
    if len(commits) >= max_commits:
        report.skipped.append(f"git history beyond the last {max_commits} commits (the limit)")
    report.seconds += time.perf_counter() - started
    return report
