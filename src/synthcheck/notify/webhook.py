"""Alert notifications to a webhook (Slack-compatible JSON), bounded so they never block a run.

Only state changes are sent (an alert firing, an alert resolving): the history store
decides transitions under a lock, so several canary runners never announce the same
change twice. Each delivery has a short timeout and a few retries inside a fixed
time budget; a receiver that is down or slow costs the run at most that budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import httpx

from synthcheck.history import Transition
from synthcheck.secrets import Redactor

__all__ = ["Delivery", "WebhookSettings", "payload_for", "send_transitions"]


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None
    timeout_s: float = 2.0
    retries: int = 2
    backoff_s: float = 0.5
    budget_s: float = 8.0  # for all deliveries of one run together


@dataclass(frozen=True)
class Delivery:
    rule: str
    state: str
    delivered: bool
    attempts: int
    error: str = ""


def payload_for(
    transition: Transition, *, env: str, base_url: str, runbook_link: Callable[[str], str]
) -> dict[str, Any]:
    """Slack's incoming-webhook shape: ``text`` plus blocks; other receivers read ``text``."""
    after = transition.after
    firing = after.firing
    status = "FIRING" if firing else "RESOLVED"
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(after.changed_at))
    headline = f"[{status}] [{after.severity}] {after.rule} on {env} ({base_url})"
    lines = [headline]
    if firing and after.since is not None:
        since = time.strftime("%H:%M:%S UTC", time.gmtime(after.since))
        lines.append(f"holding since {since}: {after.detail}")
    elif not firing:
        lines.append(f"cleared at {when}")
    lines.append(f"runbook: {runbook_link(after.runbook)}")
    text = "\n".join(lines)
    return {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        "synthcheck": {
            "env": env,
            "rule": after.rule,
            "state": after.state,
            "severity": after.severity,
            "runbook": after.runbook,
            "since": after.since,
            "changed_at": after.changed_at,
        },
    }


def _post(
    client: httpx.Client, url: str, body: dict[str, Any], settings: WebhookSettings, deadline: float
) -> tuple[bool, int, str]:
    error = ""
    for attempt in range(1, settings.retries + 2):
        if time.monotonic() >= deadline:
            return False, attempt - 1, error or "time budget used up"
        try:
            response = client.post(url, json=body)
            if response.status_code < 300:
                return True, attempt, ""
            error = f"HTTP {response.status_code}"
            if 400 <= response.status_code < 500 and response.status_code != 429:
                return False, attempt, error  # the receiver rejects it; retrying won't help
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        time.sleep(min(settings.backoff_s * attempt, max(0.0, deadline - time.monotonic())))
    return False, settings.retries + 1, error


def send_transitions(
    transitions: Sequence[Transition],
    settings: WebhookSettings,
    *,
    env: str,
    base_url: str,
    redactor: Redactor,
    runbook_link: Callable[[str], str],
) -> list[Delivery]:
    """Deliver one message per transition; never raises, never exceeds ``budget_s``."""
    if not settings.url or not transitions:
        return []
    deadline = time.monotonic() + settings.budget_s
    deliveries = []
    timeout = httpx.Timeout(settings.timeout_s)
    with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False) as client:
        for transition in transitions:
            body = payload_for(transition, env=env, base_url=base_url, runbook_link=runbook_link)
            clean = cast(dict[str, Any], redactor.redact_obj(body))
            ok, attempts, error = _post(client, settings.url, clean, settings, deadline)
            deliveries.append(
                Delivery(transition.after.rule, transition.after.state, ok, attempts, error)
            )
    return deliveries
