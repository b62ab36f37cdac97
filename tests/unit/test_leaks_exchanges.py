"""Leaks in recorded exchanges: where they sit, how they are reported, masked."""

from __future__ import annotations

import base64

from synthcheck.leaks import LeakScanner
from synthcheck.leaks.exchanges import ExchangeScanner
from synthcheck.probe import Exchange, RedirectHop
from synthcheck.secrets import Secret
from synthcheck.verdicts import Outcome
from synthcheck.verdicts.key_leak import Labelled, no_leaks
from tests.support.exchanges import exchange

FRED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
AV = "QW3RTY7UIOP4ASDF"
SCANNER = ExchangeScanner(
    LeakScanner([Secret("FRED_API_KEY", FRED), Secret("ALPHA_VANTAGE_API_KEY", AV)])
)
NAMES = ["FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"]


def _with_headers(*headers: tuple[str, str], body: bytes = b"{}") -> Exchange:
    ex = exchange(200, raw=body)
    ex.headers = (("content-type", "application/json"), *headers)
    return ex


def test_body_leak_names_line_and_column() -> None:
    body = b'{\n  "status": "healthy",\n  "debug": "?api_key=' + FRED.encode() + b'"\n}'
    (leak,) = SCANNER.scan(exchange(200, raw=body))
    assert leak.where == "body line 3, column 22"
    assert leak.describe() == "FRED_API_KEY (32 chars) in body line 3, column 22"


def test_header_cookie_and_redirect_leaks_name_their_place() -> None:
    percent = "".join(f"%{b:02X}" for b in FRED.encode())
    cookie = base64.b64encode(f"apikey={AV}".encode()).decode()
    ex = _with_headers(("x-debug-token", percent), ("set-cookie", f"dbg={cookie}; Path=/"))
    places = {leak.where: leak.finding.describe() for leak in SCANNER.scan(ex)}
    assert places == {
        "header x-debug-token": "FRED_API_KEY (32 chars), percent-encoded",
        "cookie dbg (Set-Cookie)": "ALPHA_VANTAGE_API_KEY (16 chars), base64-encoded",
    }


def test_a_cross_origin_redirect_is_reported_once_as_a_hop() -> None:
    location = f"https://api.stlouisfed.org/fred/series?api_key={FRED}"
    hop = RedirectHop(302, "http://svc/api/fred-data", location, (("location", location),))
    ex = _with_headers(("location", location), body=b"")
    ex.status = 302
    ex.redirects = (hop,)
    (leak,) = SCANNER.scan(ex)
    assert leak.where == "redirect Location (hop 1, HTTP 302)"


def test_unknown_secret_shapes_are_leaks_too() -> None:
    body = b'{"aws_access_key_id": "AKIARKUGNRSHE66FWE2J"}'
    (leak,) = SCANNER.scan(exchange(200, raw=body))
    assert leak.finding.rule == "aws-access-key-id"
    assert "AKIARKUGNRSHE66FWE2J" not in leak.describe()


def test_verdict_fails_with_masked_message_and_distinct_details() -> None:
    bodies = [f'{{"uptime": {n}, "debug": "{FRED}"}}'.encode() for n in range(5, 15)]
    items = [Labelled("GET /api/health", exchange(200, raw=b)) for b in bodies]
    result = no_leaks("GET /api/health", items, SCANNER, NAMES, reproduce=lambda e: f"curl {e.url}")
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "key_leak"
    assert str(result.severity) == "P0"
    assert result.message == "FRED_API_KEY (32 chars) in body line 1, column 25 of GET /api/health"
    assert result.details == ["GET /api/health: FRED_API_KEY (32 chars) in body line 1, column 25"]
    assert result.observed.startswith("1 distinct leak(s) in 10 of 10 responses")
    assert result.reproduce == "curl http://svc/x"
    rendered = f"{result.message} {result.observed} {result.details}"
    assert FRED not in rendered
    assert FRED[:8] not in rendered


def test_verdict_passes_clean_responses_and_skips_when_nothing_answered() -> None:
    clean = [Labelled("GET /api/live", exchange(200, {"alive": True}))]
    passed = no_leaks("GET /api/live", clean, SCANNER, NAMES)
    assert passed.outcome == Outcome.PASSED
    assert "known values: FRED_API_KEY, ALPHA_VANTAGE_API_KEY" in passed.observed
    no_answer = [Labelled("GET /api/live", exchange(None))]
    assert no_leaks("GET /api/live", no_answer, SCANNER, NAMES).outcome == Outcome.SKIPPED


def test_without_known_values_the_verdict_says_so() -> None:
    items = [Labelled("GET /", exchange(200, {"ok": True}))]
    result = no_leaks("GET /", items, ExchangeScanner(LeakScanner([])), [])
    assert "pattern rules only" in result.observed


def test_a_repeated_header_leak_is_reported_in_every_exchange() -> None:
    """Header lines are scanned once per distinct line: every sample still reports it."""
    scanner = ExchangeScanner(LeakScanner([Secret("FRED_API_KEY", FRED)]))
    samples = [_with_headers(("x-debug-key", FRED)) for _ in range(3)]
    clean = _with_headers(("x-debug-key", "nothing here"))
    found = [scanner.scan(ex) for ex in (*samples, clean)]
    assert [len(leaks) for leaks in found] == [1, 1, 1, 0]
    assert {leak.where for leaks in found for leak in leaks} == {"header x-debug-key"}
