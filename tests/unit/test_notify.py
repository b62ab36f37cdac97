"""Webhook notifications against a local receiver: delivered, retried, bounded, masked."""

from __future__ import annotations

import json
import time

from synthcheck.history import AlertState, Transition
from synthcheck.notify import WebhookSettings, send_transitions
from synthcheck.secrets import Redactor, Secret
from tests.support.receiver import http_receiver
from tests.support.runs import T0
from tests.support.sockets import free_port

KEY = Secret("FRED_API_KEY", "0123456789abcdef0123456789abcdef")
FIRING = Transition(
    (
        None,
        AlertState(
            "production",
            "error_rate",
            "firing",
            T0,
            T0 + 300,
            "P1",
            "api-error-spike",
            f"error_rate at 0.08 on GET /api/fred-data?api_key={KEY.reveal()}",
        ),
    )
)


def send(url: str, **settings: float):
    return send_transitions(
        [FIRING],
        WebhookSettings(url, **settings),
        env="production",
        base_url="https://fred.example.com",
        redactor=Redactor([KEY]),
        runbook_link=lambda anchor: f"docs/runbook.md#{anchor}",
    )


def test_delivers_slack_compatible_json_with_secrets_masked() -> None:
    with http_receiver([200]) as (url, received):
        [delivery] = send(f"{url}/hook")
    assert delivery.delivered
    assert delivery.attempts == 1
    [request] = received
    assert (request.method, request.path) == ("POST", "/hook")
    body = request.json()
    assert body["text"].startswith("[FIRING] [P1] error_rate on production")
    assert body["blocks"][0]["text"]["type"] == "mrkdwn"
    assert "docs/runbook.md#api-error-spike" in body["text"]
    assert KEY.reveal() not in json.dumps(body)
    assert body["synthcheck"]["state"] == "firing"


def test_retries_a_failing_receiver_then_delivers() -> None:
    with http_receiver([503, 500, 200]) as (url, received):
        [delivery] = send(f"{url}/hook", backoff_s=0.01)
    assert delivery.delivered
    assert delivery.attempts == 3
    assert len(received) == 3


def test_client_errors_are_not_retried() -> None:
    with http_receiver([400]) as (url, received):
        [delivery] = send(f"{url}/hook")
    assert not delivery.delivered
    assert delivery.error == "HTTP 400"
    assert len(received) == 1


def test_receiver_down_costs_little_and_does_not_raise() -> None:
    started = time.monotonic()
    [delivery] = send(f"http://127.0.0.1:{free_port()}/hook", backoff_s=0.01)
    assert not delivery.delivered
    assert delivery.attempts == 3
    assert time.monotonic() - started < 5  # hang guard: three refused connections


def test_slow_receiver_is_cut_off_by_the_budget() -> None:
    with http_receiver([], delay_s=3.0) as (url, _):
        started = time.monotonic()
        [delivery] = send(f"{url}/hook", timeout_s=0.3, budget_s=1.0, backoff_s=0.01)
        elapsed = time.monotonic() - started
    assert not delivery.delivered
    assert elapsed < 2.5  # the budget (1 s) plus one timeout, far below the receiver's 3 s x 3


def test_no_url_sends_nothing() -> None:
    assert send("") == []
