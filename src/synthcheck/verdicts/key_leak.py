"""Runbook "API Key Exposed": no key in any response, error page or served script.

A leak is P0 whatever the form: the known value whole, 8+ of its characters,
percent/base64/JSON/HTML-encoded, in a body, header, cookie or redirect; or a
secret-shaped value (FRED, Alpha Vantage, AWS, GitHub, ...) that the verifier does not
know. The message names the endpoint, where in the response, the encoding and the
key, masked: never the value or a recognisable part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from synthcheck.catalog import Category
from synthcheck.leaks.exchanges import ExchangeLeak, ExchangeScanner
from synthcheck.probe import Exchange
from synthcheck.verdicts.result import CheckResult, Outcome
from synthcheck.verdicts.samples import count_phrase, no_answer

__all__ = ["BUDGET", "Labelled", "error_paths", "no_leaks", "scan"]

KEY_LEAK = Category.KEY_LEAK
BUDGET = (
    "no known key (whole, 8+ characters, or encoded) and no key-shaped secret"
    " in any body, header, cookie or redirect"
)
_MAX_DETAILS = 10


@dataclass(frozen=True)
class Labelled:
    """An exchange and what it was (``GET /api/health``, ``unknown API path``, a script)."""

    label: str
    exchange: Exchange


def _known_note(known: Sequence[str]) -> str:
    if known:
        return f"known values: {', '.join(known)}"
    return "pattern rules only: no known key value (set FRED_API_KEY / ALPHA_VANTAGE_API_KEY)"


def scan(
    items: Sequence[Labelled], scanner: ExchangeScanner
) -> list[tuple[Labelled, ExchangeLeak]]:
    return [(item, leak) for item in items for leak in scanner.scan(item.exchange)]


def no_leaks(
    surface: str,
    items: Sequence[Labelled],
    scanner: ExchangeScanner,
    known: Sequence[str],
    *,
    endpoint: str | None = None,
    reproduce: Callable[[Exchange], str] | None = None,
) -> CheckResult:
    """``surface``: what was scanned, for messages (``GET /api/health``, ``error pages``).

    ``reproduce`` turns the first leaking exchange into a curl command for the report.
    """
    answered = [item for item in items if item.exchange.status is not None]
    if not answered:
        why = no_answer([item.exchange for item in items])
        return CheckResult.skipped(KEY_LEAK, why, endpoint=endpoint)
    leaks = scan(answered, scanner)
    common = dict(
        endpoint=endpoint,
        budget=BUDGET,
        sample_size=len(answered),
        metrics={"leaks": len(leaks), "known_values": len(known)},
    )
    if not leaks:
        return CheckResult.passed(
            KEY_LEAK,
            f"no key in {len(answered)} response(s) of {surface}",
            observed=f"0 leaks ({_known_note(known)})",
            **common,
        )
    distinct: dict[tuple[str, str, str], str] = {}
    for item, leak in leaks:
        key = (item.label, leak.finding.describe(), leak.area)
        distinct.setdefault(key, f"{item.label}: {leak.describe()}")
    lines = list(distinct.values())
    leaking = {id(item) for item, _ in leaks}
    first_item, first = leaks[0]
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return CheckResult.failed(
        KEY_LEAK,
        f"{first.describe()} of {first_item.label}{more}",
        observed=(
            f"{len(lines)} distinct leak(s) in"
            f" {count_phrase(len(leaking), len(answered), 'response')}"
            f" ({_known_note(known)})"
        ),
        details=lines[:_MAX_DETAILS],
        reproduce=reproduce(first_item.exchange) if reproduce else None,
        **common,
    )


def _why_not_examined(exchanges: Sequence[Exchange], cut: bool, reason: str | None) -> str:
    if not exchanges:
        if reason:
            return reason
        return "not sent: the run deadline came first" if cut else "not sent"
    last = exchanges[-1]
    return last.error.message if last.error else "no response"


def error_paths(
    provoked: Sequence[tuple[str, Sequence[Exchange]]],
    scanner: ExchangeScanner,
    known: Sequence[str],
    *,
    reproduce: Callable[[Exchange], str] | None = None,
    cut: bool = False,
    not_sent: Mapping[str, str] | None = None,
) -> CheckResult:
    """The error-path probes: says how many were examined and which were not.

    A probe that got no answer (it timed out, or the deadline came first) could have
    held a leak: a pass over the others is then a warning naming the ones missing.
    ``cut``: the run deadline stopped sending before every probe went out;
    ``not_sent``: why a probe was not sent (label -> reason).
    """
    examined = [(label, ex) for label, ex in provoked if any(e.status is not None for e in ex)]
    missing = [
        f"{label} ({_why_not_examined(ex, cut, (not_sent or {}).get(label))})"
        for label, ex in provoked
        if not any(e.status is not None for e in ex)
    ]
    items = [Labelled(label, e) for label, ex in examined for e in ex if e.status is not None]
    tally = f"{len(examined)} of {len(provoked)} error-path probes examined"
    if not items:
        if not provoked:
            return CheckResult.skipped(KEY_LEAK, "no error-path probe for this plan")
        return CheckResult.warned(
            KEY_LEAK,
            f"no error-path probe answered: {tally}; not examined: {'; '.join(missing)}",
            budget=BUDGET,
            observed=tally,
            sample_size=0,
            details=missing,
        )
    result = no_leaks("the error paths", items, scanner, known, reproduce=reproduce)
    result.observed = f"{result.observed}; {tally}"
    result.metrics = {**result.metrics, "examined": len(examined), "probes": len(provoked)}
    if missing:
        result.details = [*result.details, *(f"not examined: {m}" for m in missing)]
    if missing and result.outcome == Outcome.PASSED:
        return CheckResult.warned(
            KEY_LEAK,
            f"no key in {tally}; not examined, could hold a leak: {'; '.join(missing)}",
            budget=result.budget,
            observed=result.observed,
            sample_size=result.sample_size,
            details=result.details,
            metrics=result.metrics,
        )
    if not missing:
        result.message = f"{result.message} ({tally})"
    return result
