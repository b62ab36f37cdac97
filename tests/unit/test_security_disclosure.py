"""Stack traces and debug pages in error responses are information disclosure."""

from __future__ import annotations

import pytest

from synthcheck.verdicts import Outcome
from synthcheck.verdicts.disclosure import disclosure_in, no_stack_traces
from synthcheck.verdicts.key_leak import Labelled
from tests.support.exchanges import exchange

PYTHON = (
    'Traceback (most recent call last):\n  File "/app/main.py", line 12, in handler\nKeyError: x'
)
CASES = {
    "Python traceback": PYTHON,
    "Java stack trace": "java.lang.NullPointerException\n\tat com.acme.Api.get(Api.java:42)",
    "Node.js stack trace": "TypeError: x is undefined\n    at handler (/srv/app/index.js:10:5)\n",
    ".NET stack trace": "Server Error in '/' Application.",
    "PHP error": "PHP Fatal error:  Uncaught Error: boom in /var/www/index.php on line 7",
    "Ruby backtrace": "app/controllers/series_controller.rb:12:in `show'",
    "Go panic": "panic: runtime error\n\ngoroutine 1 [running]:\nmain.main()",
    "Django debug page": "You're seeing this error because you have <code>DEBUG = True</code> in settings",
    "Spring whitelabel page": "<h1>Whitelabel Error Page</h1>",
    "SQL error": "You have an error in your SQL syntax near 'x'",
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_of_trace_is_recognised(kind: str) -> None:
    found = disclosure_in(CASES[kind])
    assert found is not None
    assert found[0] in {kind, "Python stack frame", "Java exception"}


@pytest.mark.parametrize(
    "text",
    ['{"error": "not found", "path": "/api/x"}', "Internal Server Error", "<h1>404 Not Found</h1>"],
)
def test_plain_error_pages_are_fine(text: str) -> None:
    assert disclosure_in(text) is None


def test_a_trace_in_an_error_response_fails_with_a_masked_excerpt() -> None:
    key = "f00dfacef00dfacef00dfacef00dface"  # synthcheck:allow (a fake key)
    body = f'Traceback (most recent call last):\n  File "/app/x.py", line 3, in get\nKeyError: api_key={key}'
    items = [
        Labelled("unknown API path", exchange(404, raw=body.encode(), content_type="text/plain")),
        Labelled("wrong method (POST)", exchange(405, {"error": "method not allowed"})),
    ]
    result = no_stack_traces(items, lambda text: text.replace(key, "[masked]"))
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "info_disclosure"
    assert result.message == "Python traceback in the 404 answer to unknown API path"
    assert result.observed == "Python traceback in 1 of 2 error responses"
    assert all(key not in d for d in result.details)


def test_success_responses_are_not_judged_and_no_errors_skip() -> None:
    ok = [Labelled("GET /", exchange(200, raw=PYTHON.encode(), content_type="text/plain"))]
    assert no_stack_traces(ok, str).outcome == Outcome.SKIPPED
    clean = [Labelled("unknown page", exchange(404, {"error": "not found"}))]
    assert no_stack_traces(clean, str).outcome == Outcome.PASSED
