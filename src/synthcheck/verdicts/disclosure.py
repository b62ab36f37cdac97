"""Runbook "Security Incident": error responses must not show stack traces or debug pages.

A traceback tells an attacker the framework, the file layout and often the query or
URL that failed (the same place keys leak from). Only error responses (4xx/5xx) are
judged: the error paths the leak probes provoke plus any error the plan met.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from synthcheck.catalog import Category
from synthcheck.verdicts.key_leak import Labelled
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import count_phrase

__all__ = ["MARKERS", "disclosure_in", "no_stack_traces"]

DISCLOSURE = Category.INFO_DISCLOSURE
_EXCERPT = 120

# (what it is, how it looks). Each is specific enough to stand alone.
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Python traceback", r"Traceback \(most recent call last\):"),
        ("Python stack frame", r'File "[^"\n]+", line \d+, in \S+'),
        ("Java stack trace", r"\bat [\w$.]+\([\w$]+\.java:\d+\)|Exception in thread \""),
        ("Java exception", r"\bjava\.(?:lang|io|sql|util)\.\w+(?:Exception|Error)\b"),
        (
            "Node.js stack trace",
            r"\n\s+at (?:[\w$.<>\[\] ]+ )?\(?(?:/|[A-Za-z]:\\|file://|node:)[^\s)]+:\d+:\d+\)?",
        ),
        (
            ".NET stack trace",
            r"\bat [\w.<>`]+\([^)\n]*\) in [^\n]+:line \d+|Server Error in '[^']*' Application",
        ),
        (
            "PHP error",
            r"(?:Fatal error|Parse error|Uncaught \w+): .{1,300} in \S+ on line \d+"
            r"|Stack trace:\s*#0 ",
        ),
        ("Ruby backtrace", r"\.rb:\d+:in `"),
        ("Go panic", r"goroutine \d+ \[running\]:"),
        (
            "Django debug page",
            r"You're seeing this error because you have <code>DEBUG = True</code>",
        ),
        (
            "Werkzeug debugger",
            r"Werkzeug Debugger|The debugger caught an exception in your WSGI application",
        ),
        ("Laravel/Whoops page", r"Whoops! There was an error|Whoops\\Exception"),
        ("Spring whitelabel page", r"Whitelabel Error Page"),
        ("Rails exception page", r"Action Controller: Exception caught"),
        (
            "SQL error",
            r"You have an error in your SQL syntax|\bORA-\d{5}\b|\bSQLSTATE\[|PG::\w+Error",
        ),
    )
)


def disclosure_in(text: str) -> tuple[str, str] | None:
    """(what, the first line showing it) for the first marker found, else None."""
    for name, pattern in MARKERS:
        match = pattern.search(text)
        if match is not None:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.start())
            line = text[start : end if end != -1 else len(text)].strip()
            return name, line[:_EXCERPT]
    return None


def no_stack_traces(
    items: Sequence[Labelled],
    mask: Callable[[str], str],
    reproduce: Callable[[Labelled], str] | None = None,
) -> CheckResult:
    """``mask`` hides any secret in the excerpt shown (the trace may hold one)."""
    errors = [i for i in items if i.exchange.status is not None and i.exchange.status >= 400]
    if not errors:
        return CheckResult.skipped(
            DISCLOSURE,
            "no error response to inspect (error-path probing is off and the plan met none)",
        )
    budget = "no stack trace, framework debug page or SQL error in any 4xx/5xx response"
    found: list[tuple[Labelled, str, str]] = []
    for item in errors:
        hit = disclosure_in(item.exchange.text)
        if hit is not None:
            found.append((item, *hit))
    common = dict(budget=budget, sample_size=len(errors), metrics={"disclosures": len(found)})
    if not found:
        return CheckResult.passed(
            DISCLOSURE,
            f"no stack trace in {len(errors)} error response(s)",
            observed="0 disclosures",
            **common,
        )
    item, what, _ = found[0]
    status = item.exchange.status
    kinds = sorted({what for _, what, _ in found})
    return CheckResult.failed(
        DISCLOSURE,
        f"{what} in the {status} answer to {item.label}",
        endpoint=item.exchange.target_id,
        observed=(
            f"{', '.join(kinds)} in {count_phrase(len(found), len(errors), 'error response')}"
        ),
        details=[f"{i.label} ({i.exchange.status}): {mask(line)}" for i, _, line in found[:10]],
        reproduce=reproduce(item) if reproduce else None,
        **common,
    )
