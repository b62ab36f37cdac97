"""The scanner as the pre-deploy gate runs it: configured paths, allowlist, exclusions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from synthcheck.config import PredeploySettings
from synthcheck.leaks import KNOWN_RULE, LeakScanner, rule_ids
from synthcheck.scan.allowlist import Allowlist, load_allowlist
from synthcheck.scan.files import ScanReport, scan_paths
from synthcheck.secrets import Secret

__all__ = ["gate_scan"]


def _allowlist(path_text: str) -> Allowlist | None:
    path = Path(path_text) if path_text else None
    if path is None or not path.is_file():
        return None
    return load_allowlist(path, [KNOWN_RULE, *rule_ids()])


def gate_scan(
    paths: Sequence[str], settings: PredeploySettings, secrets: Iterable[Secret]
) -> ScanReport:
    """Scan ``paths``; a path that does not exist is reported as skipped, not ignored."""
    existing = [Path(p) for p in paths if Path(p).exists()]
    report = scan_paths(
        existing,
        LeakScanner(secrets, deep=False),
        allowlist=_allowlist(settings.allowlist),
        excludes=settings.scan_exclude,
    )
    report.skipped += [f"{p} (does not exist)" for p in paths if not Path(p).exists()]
    return report
