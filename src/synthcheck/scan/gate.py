"""The scanner as the pre-deploy gate runs it: configured paths, allowlist, exclusions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from synthcheck.config import PredeploySettings
from synthcheck.leaks import KNOWN_RULE, LeakScanner, rule_ids
from synthcheck.scan.allowlist import Allowlist, load_allowlist
from synthcheck.scan.files import ScanReport, scan_paths
from synthcheck.scan.history import GitError, is_git_tree, scan_history
from synthcheck.secrets import Secret

__all__ = ["GATE_MAX_COMMITS", "gate_scan"]

# The pre-deploy gate reads at most this much history (the suite has a deadline).
GATE_MAX_COMMITS = 2000


def _allowlist(path_text: str) -> Allowlist | None:
    path = Path(path_text) if path_text else None
    if path is None or not path.is_file():
        return None
    return load_allowlist(path, [KNOWN_RULE, *rule_ids()])


def gate_scan(
    paths: Sequence[str],
    settings: PredeploySettings,
    secrets: Iterable[Secret],
    *,
    history: bool = False,
    max_commits: int = GATE_MAX_COMMITS,
) -> ScanReport:
    """Scan ``paths``; a path that does not exist is reported as skipped, not ignored.

    With ``history``, the repository holding the first existing path (when it is a git
    work tree) has the lines its commits added scanned too: a key committed and later
    removed is still in every clone.
    """
    existing = [Path(p) for p in paths if Path(p).exists()]
    allowlist = _allowlist(settings.allowlist)
    scanner = LeakScanner(secrets, deep=False)
    report = scan_paths(existing, scanner, allowlist=allowlist, excludes=settings.scan_exclude)
    report.skipped += [f"{p} (does not exist)" for p in paths if not Path(p).exists()]
    if history and existing and is_git_tree(existing[0]):
        try:
            scan_history(
                existing[0],
                scanner,
                allowlist=allowlist,
                max_commits=max_commits,
                excludes=settings.scan_exclude,
                report=report,
            )
        except GitError as exc:
            report.skipped.append(f"git history ({exc})")
    return report
