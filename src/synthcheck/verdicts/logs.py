"""Runbook: "check application logs" and "never expose API keys in logs".

The log (file tail or command output) is scanned like a response: known values in
any form, secret-shaped patterns. Alongside, the most frequent error lines are
counted the way the runbook does it (``grep -i error | sort | uniq -c``), with
timestamps, ids and numbers folded so that one error repeated is one entry; they
travel as information in the result's details.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from synthcheck.catalog import Category
from synthcheck.leaks.scanner import LeakScanner
from synthcheck.logsource import LogText
from synthcheck.verdicts.result import CheckResult

__all__ = ["error_lines", "keys_in_log", "normalise"]

_LEADING_TIME = re.compile(
    r"^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s*"
)
_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_HEX = re.compile(r"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_ERROR = re.compile(r"error", re.IGNORECASE)
_SHOWN = 160


def normalise(line: str) -> str:
    """One error, many occurrences: drop the timestamp, fold ids and numbers."""
    line = _LEADING_TIME.sub("", line.strip())
    line = _UUID.sub("<id>", line)
    line = _HEX.sub("<hex>", line)
    return _NUMBER.sub("<n>", line)


def error_lines(log: LogText, mask: Callable[[str], str], top: int) -> tuple[int, list[str]]:
    """(how many error lines, the ``top`` most frequent as ``12x <line>``), masked."""
    # Mask first: folding ids could otherwise hide half a key from the scanner.
    counts: Counter[str] = Counter(
        normalise(mask(line)) for line in log.lines if _ERROR.search(line)
    )
    shown = [f"{n}x {text[:_SHOWN]}" for text, n in counts.most_common(top)]
    return sum(counts.values()), shown


def keys_in_log(
    log: LogText, scanner: LeakScanner, mask: Callable[[str], str], top_errors: int
) -> CheckResult:
    text = "\n".join(log.lines)
    findings = scanner.scan(text)
    errors, frequent = error_lines(log, mask, top_errors)
    window = f"the last {len(log.lines)} lines" + (
        " (older lines not read)" if log.truncated else ""
    )
    error_note = f"{errors} error line(s)" + (f", most frequent: {frequent[0]}" if frequent else "")
    information = [f"error lines (grep -i error | sort | uniq -c): {errors}", *frequent]
    common = dict(
        endpoint=log.source,
        budget="no known key and no key-shaped secret in the service log",
        sample_size=len(log.lines),
        metrics={"leaks": len(findings), "error_lines": errors, "lines": len(log.lines)},
    )
    if not findings:
        return CheckResult.passed(
            Category.KEY_LEAK,
            f"no key in {window} of the log ({log.source}); {error_note}",
            observed=f"0 leaks in {len(log.lines)} lines; {errors} error line(s)",
            details=information,
            **common,
        )
    places = []
    for finding in findings:
        line = text.count("\n", 0, finding.start) + 1
        places.append(f"line {line}: {finding.describe()}")
    places = list(dict.fromkeys(places))
    first = findings[0].describe()
    return CheckResult.failed(
        Category.KEY_LEAK,
        f"{first} in the service log ({log.source}, {window}): rotate the key and purge the log",
        observed=f"{len(findings)} leak(s) in {len(log.lines)} log lines",
        details=[*places[:8], *information],
        **common,
    )
