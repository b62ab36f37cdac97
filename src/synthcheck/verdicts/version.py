"""The deploy landed: is the version just deployed the one answering?

Every health answer of the run is read for the version it reports: ``[version]
header`` and ``paths`` first, then the fields real services use (``version``,
``releaseId``, ``build.version``, Spring's ``git.commit.id``, ``commit``, ``sha``…).
With ``--expect-version`` every answer must report it (a SHA prefix of 7+ characters
matches the full SHA, a leading ``v`` is ignored); without it, two or more versions
answering in one run are a rolling deploy in progress: a warning naming their shares.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config.model import VersionSettings
from synthcheck.probe import Exchange
from synthcheck.verdicts.jsonbody import lookup
from synthcheck.verdicts.result import CheckResult

__all__ = [
    "VERSION_FIELDS",
    "VersionsSeen",
    "deployed_version",
    "reported_versions",
    "same_version",
    "versions_seen",
]

DEPLOY = Category.DEPLOY
VERSION_FIELDS = (
    "releaseId", "release_id", "version", "release", "build.version", "build.id",
    "app.version", "application.version", "service.version", "info.version",
    "git.commit.id", "git.commit.id.abbrev", "git.sha", "commit", "commit_sha", "commitSha",
    "sha", "git_sha", "revision", "build.commit",
)  # fmt: skip
_HEX = re.compile(r"^[0-9a-f]{7,64}$")
_MIN_PREFIX = 7


def _text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text[:80] if text else None


def reported_versions(exchange: Exchange, settings: VersionSettings) -> list[str]:
    """Every version-like value one answer reports, most specific source first."""
    found: list[str] = []
    if settings.header and (value := _text(exchange.header(settings.header))):
        found.append(value)
    body = exchange.json()
    if isinstance(body, dict):
        for path in (*settings.paths, *VERSION_FIELDS):
            value = _text(lookup(body, path))
            if value and value not in found:
                found.append(value)
    return found


def _normal(version: str) -> str:
    text = version.strip().lower()
    return text[1:] if text[:1] == "v" and text[1:2].isdigit() else text


def same_version(expected: str, reported: str) -> bool:
    """``v1.4.2`` is ``1.4.2``; ``3f9a1c2`` is ``3f9a1c2d…`` (a 7+ character SHA prefix)."""
    a, b = _normal(expected), _normal(reported)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        bool(_HEX.match(a) and _HEX.match(b))
        and len(short) >= _MIN_PREFIX
        and long.startswith(short)
    )


def _shares(counts: Counter[str], total: int) -> str:
    return ", ".join(f"{v} ({n / total:.0%}, {n} of {total})" for v, n in counts.most_common())


@dataclass(frozen=True)
class VersionsSeen:
    """The versions the health answers of one run report."""

    answered: int  # answers read (any status)
    reports: tuple[tuple[str, ...], ...]  # per answer that reports any: most specific first

    @property
    def shown(self) -> Counter[str]:
        """Each answer's most specific version, counted."""
        return Counter(versions[0] for versions in self.reports)

    def not_matching(self, expected: str) -> list[str]:
        """The shown version of every answer none of whose versions is ``expected``."""
        return [vs[0] for vs in self.reports if not any(same_version(expected, v) for v in vs)]


def versions_seen(answered: Sequence[Exchange], settings: VersionSettings) -> VersionsSeen:
    reports = (tuple(reported_versions(e, settings)) for e in answered)
    return VersionsSeen(len(answered), tuple(vs for vs in reports if vs))


def _tried(settings: VersionSettings) -> str:
    sources = [f"header {settings.header}"] if settings.header else []
    return ", ".join([*sources, *settings.paths, *VERSION_FIELDS[:6]])


def _no_version(
    seen: VersionsSeen, settings: VersionSettings, expected: str | None, common: dict[str, Any]
) -> CheckResult:
    message = f"the health answers report no version (tried {_tried(settings)}, ...)"
    if expected:
        return CheckResult.warned(
            DEPLOY,
            f"cannot verify --expect-version {expected}: {message}; set [version] paths or header",
            budget=f"every health answer reports {expected}",
            observed=f"no version in {seen.answered} answers",
            **common,
        )
    return CheckResult.skipped(DEPLOY, message, endpoint=common["endpoint"])


def _against_expected(seen: VersionsSeen, expected: str, common: dict[str, Any]) -> CheckResult:
    total = len(seen.reports)
    observed = _shares(seen.shown, total)
    metrics: dict[str, float | int | str | None] = {"versions": len(seen.shown)}
    wrong = seen.not_matching(expected)
    budget = f"every health answer reports {expected}"
    if not wrong:
        return CheckResult.passed(
            DEPLOY, f"the deployed version {expected} answers", budget=budget,
            observed=observed, metrics=metrics, **common,
        )  # fmt: skip
    old = Counter(wrong)
    share = len(wrong) / total
    what = "the deploy did not land" if len(wrong) == total else "the old version still answers"
    return CheckResult.failed(
        DEPLOY,
        f"expected {expected}; {share:.0%} of health answers ({len(wrong)} of {total}) report"
        f" {', '.join(old)}: {what}",
        budget=budget,
        observed=observed,
        metrics={**metrics, "old_share": round(share, 4)},
        **common,
    )


def _one_version(seen: VersionsSeen, common: dict[str, Any]) -> CheckResult:
    shown = seen.shown
    observed = _shares(shown, len(seen.reports))
    metrics: dict[str, float | int | str | None] = {"versions": len(shown)}
    budget = "one version answers (--expect-version to name it)"
    if len(shown) == 1:
        (version,) = shown
        return CheckResult.passed(
            DEPLOY, f"every health answer reports {version}", budget=budget,
            observed=observed, metrics=metrics, **common,
        )  # fmt: skip
    return CheckResult.warned(
        DEPLOY,
        f"{len(shown)} versions answer within one run: {observed} (a rolling deploy in"
        " progress? give --expect-version to fail while the old one answers)",
        budget=budget,
        observed=observed,
        metrics=metrics,
        **common,
    )


def deployed_version(
    target_id: str | None,
    exchanges: Sequence[Exchange],
    settings: VersionSettings,
    expected: str | None,
) -> CheckResult:
    answered = [e for e in exchanges if e.status is not None]
    if not answered:
        return CheckResult.skipped(DEPLOY, "no health answer to read a version from")
    seen = versions_seen(answered, settings)
    common: dict[str, Any] = dict(endpoint=target_id, sample_size=seen.answered)
    if not seen.reports:
        return _no_version(seen, settings, expected, common)
    if expected:
        return _against_expected(seen, expected, common)
    return _one_version(seen, common)
