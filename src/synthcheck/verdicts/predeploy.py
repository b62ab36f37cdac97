"""The runbook's pre-deployment checklist: variables, secret scan, rollback, notification.

"All tests passing" is the CI job that runs the project's tests; "performance
benchmarks met" is :mod:`synthcheck.verdicts.baseline`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from synthcheck.catalog import Category
from synthcheck.scan.files import ScanReport
from synthcheck.verdicts.result import CheckResult, Metric

__all__ = ["FORMATS", "environment_variables", "notification", "rollback_target", "secret_scan"]

# name -> (pattern, what it must look like). The key formats are FRED's and Alpha
# Vantage's own, as the service's `npm run validate:env` checks them.
FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "FRED_API_KEY": (re.compile(r"[a-z0-9]{32}"), "32 lower-case letters and digits"),
    "ALPHA_VANTAGE_API_KEY": (re.compile(r"[A-Z0-9]{16}"), "16 upper-case letters and digits"),
    "FRED_BASE_URL": (re.compile(r"https?://[^\s/?#]+(/\S*)?"), "an http(s) URL"),
    "ALPHA_VANTAGE_BASE_URL": (re.compile(r"https?://[^\s/?#]+(/\S*)?"), "an http(s) URL"),
    "PORT": (re.compile(r"[1-9][0-9]{0,4}"), "a port number"),
}


def _shape(value: str) -> str:
    """What a value looks like, without any of its characters."""
    kinds = [
        label
        for label, test in (
            ("lower-case letters", str.islower),
            ("upper-case letters", str.isupper),
            ("digits", str.isdigit),
        )
        if any(test(c) for c in value)
    ]
    if any(not c.isalnum() for c in value):
        kinds.append("other characters")
    return f"{len(value)} characters ({', '.join(kinds) or 'empty'})"


def environment_variables(required: Sequence[str], environ: Mapping[str, str]) -> CheckResult:
    """Required variables are set, and every known variable that is set is well-formed."""
    problems: list[str] = []
    checked: list[str] = []
    for name in dict.fromkeys([*required, *FORMATS]):
        value = environ.get(name, "")
        if not value.strip():
            if name in required:
                problems.append(f"{name} is not set")
            continue
        checked.append(name)
        rule = FORMATS.get(name)
        if rule and not rule[0].fullmatch(value.strip()):
            problems.append(f"{name}: {_shape(value.strip())}, expected {rule[1]}")
        elif name == "PORT" and not 0 < int(value) < 65536:
            problems.append(f"PORT: {value!r} is not a port number")
    budget = (
        "required variables set; keys in their formats (FRED 32 a-z0-9, Alpha Vantage 16 A-Z0-9)"
    )
    if problems:
        return CheckResult.failed(
            Category.CONFIG,
            f"{len(problems)} environment variable problem(s): {problems[0]}",
            budget=budget,
            observed="; ".join(problems),
            details=problems,
            sample_size=len(checked),
        )
    return CheckResult.passed(
        Category.CONFIG,
        f"{len(checked)} variable(s) set and well-formed: {', '.join(checked)}",
        budget=budget,
        observed=", ".join(checked) or "none set",
        sample_size=len(checked),
    )


def secret_scan(what: str, paths: Sequence[str], report: ScanReport) -> CheckResult:
    """The scanner CLI's findings over the repository tree or the build output."""
    budget = f"no secret in {what} ({', '.join(paths)})"
    scanned = f"{report.files} files, {report.bytes / 1e6:.1f} MB"
    if report.commits:
        scanned += f", the lines added by {report.commits} commit(s) of git history"
    if report.allowed:
        scanned += f", {report.allowed} accepted by the allowlist"
    lines = [
        f"{f.path}:{f.line}:{f.rule}: {f.masked}"
        + (f" (commit {f.commit[:12]})" if f.commit else "")
        for f in report.findings
    ]
    metrics: dict[str, Metric] = {"files": report.files, "findings": len(report.findings)}
    missing = [s for s in report.skipped if s.endswith("(does not exist)")]
    if missing and not lines:
        return CheckResult.failed(
            Category.KEY_LEAK,
            f"cannot scan {what}: {', '.join(missing)}",
            budget=budget,
            observed=f"{len(missing)} path(s) missing ({scanned})",
            metrics=metrics,
        )
    if lines:
        return CheckResult.failed(
            Category.KEY_LEAK,
            f"{len(lines)} secret(s) found in {what}: {lines[0]}",
            budget=budget,
            observed=f"{len(lines)} finding(s) in {len({f.path for f in report.findings})}"
            f" file(s) ({scanned})",
            details=lines[:20],
            metrics=metrics,
            reproduce=f"synthcheck scan {' '.join(paths)}"
            + (" --git" if any(f.commit for f in report.findings) else ""),
        )
    return CheckResult.passed(
        Category.KEY_LEAK, f"no secret in {what}", budget=budget, observed=scanned, metrics=metrics
    )


def rollback_target(
    last_passing: tuple[str, float] | None, env_name: str, *, required: bool
) -> CheckResult:
    """The runbook's "rollback plan prepared": a version known to have passed verification."""
    budget = f"a version of {env_name} that passed verification, in the run history"
    if last_passing:
        version, at = last_passing
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))
        return CheckResult.passed(
            Category.CONFIG,
            f"rollback target: {version} (passed verification {when})",
            budget=budget,
            observed=f"{version} at {when}",
            metrics={"version": version},
        )
    make = CheckResult.failed if required else CheckResult.warned
    return make(
        Category.CONFIG,
        f"no rollback target: no passing run of {env_name} with a version in the history",
        budget=budget,
        observed="none in the history (a first deploy, or history not kept)",
    )


def notification(variable: str, environ: Mapping[str, str], *, required: bool) -> CheckResult:
    """The runbook's "stakeholders notified": the alert webhook is configured."""
    budget = f"${variable} holds an http(s) webhook URL"
    value = environ.get(variable, "").strip()
    parts = urlsplit(value)
    if value and parts.scheme in ("http", "https") and parts.hostname:
        # The URL's path is the secret part of a webhook: show the host only.
        return CheckResult.passed(
            Category.CONFIG,
            f"notifications go to a webhook on {parts.hostname}",
            budget=budget,
            observed=f"{parts.scheme}://{parts.hostname}/…",
        )
    make = CheckResult.failed if required else CheckResult.warned
    why = "not set" if not value else "not an http(s) URL"
    return make(
        Category.CONFIG,
        f"no notification webhook: ${variable} is {why}",
        budget=budget,
        observed=why,
    )
