"""The error-path leak probes say how many were examined and which were not."""

from __future__ import annotations

from synthcheck.leaks import LeakScanner
from synthcheck.leaks.exchanges import ExchangeScanner
from synthcheck.probe import Exchange, TransportError, TransportErrorKind
from synthcheck.secrets import Secret
from synthcheck.verdicts import Outcome
from synthcheck.verdicts.key_leak import error_paths
from tests.support.exchanges import exchange

FRED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
SCANNER = ExchangeScanner(LeakScanner([Secret("FRED_API_KEY", FRED)]))
NAMES = ["FRED_API_KEY"]


def _timed_out() -> Exchange:
    cut = exchange(None, total_ms=10_000.0)
    cut.error = TransportError(TransportErrorKind.READ_TIMEOUT, "timed out after 10 s (read)")
    return cut


def test_all_examined_and_clean_passes_with_the_count() -> None:
    provoked = [("unknown page", [exchange(404, {"error": "not found"})])] * 3
    result = error_paths(provoked, SCANNER, NAMES)
    assert result.outcome == Outcome.PASSED
    assert "3 of 3 error-path probes examined" in result.message
    assert result.metrics["examined"] == 3


def test_a_probe_that_timed_out_is_named_and_makes_a_warning() -> None:
    provoked = [
        ("unknown page", [exchange(404, {"error": "not found"})]),
        ("unknown value (series=X)", [_timed_out()]),
        ("POST with an empty body", [_timed_out()]),
    ]
    result = error_paths(provoked, SCANNER, NAMES)
    assert result.outcome == Outcome.WARNED
    assert "1 of 3 error-path probes examined" in result.message
    assert "unknown value (series=X) (timed out after 10 s (read))" in result.message
    assert "POST with an empty body" in result.message
    assert "not examined: POST with an empty body (timed out after 10 s (read))" in result.details


def test_a_probe_cut_by_the_deadline_says_so() -> None:
    provoked = [("unknown page", [exchange(404, {})]), ("unknown API path", [])]
    result = error_paths(provoked, SCANNER, NAMES, cut=True)
    assert result.outcome == Outcome.WARNED
    assert "unknown API path (not sent: the run deadline came first)" in result.message


def test_a_leak_still_fails_when_other_probes_were_not_examined() -> None:
    leaking = exchange(502, raw=f'{{"error": "upstream ?api_key={FRED}"}}'.encode())
    provoked = [("unknown value (series=X)", [leaking]), ("missing parameter", [_timed_out()])]
    result = error_paths(provoked, SCANNER, NAMES)
    assert result.outcome == Outcome.FAILED
    assert FRED not in result.message
    assert "1 of 2 error-path probes examined" in result.observed
    assert "not examined: missing parameter (timed out after 10 s (read))" in result.details


def test_no_probe_answered_is_a_warning_not_a_pass() -> None:
    result = error_paths([("unknown page", [_timed_out()])], SCANNER, NAMES)
    assert result.outcome == Outcome.WARNED
    assert "0 of 1 error-path probes examined" in result.message
