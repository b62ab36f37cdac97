"""The locust side: tasks from the workload, and thresholds judged when the run ends.

Imported only by ``loadtests/locustfile.py`` inside a locust process, where gevent
has patched the standard library; the harness never imports this module.

When the run ends (``events.quitting``) the master, or the single process, judges
every threshold, logs one line per threshold (``THRESHOLD BROKEN p95: 1204 ms >
budget 500 ms (GET /api/fred-data, n=812)``), writes ``results.json`` and sets the
process exit code: 1 when a threshold broke, else 0.
"""

from __future__ import annotations

import itertools
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from locust import FastHttpUser, between, events
from locust.runners import MasterRunner, WorkerRunner

from synthcheck.config.errors import ConfigError
from synthcheck.load.context import LoadContext, context_from_environ
from synthcheck.load.results import LoadResults
from synthcheck.load.thresholds import OVERALL, RowStats, broken, evaluate
from synthcheck.load.workload import LoadRequest

__all__ = ["install", "load_context", "tasks_of", "wait_time_of"]

log = logging.getLogger("synthcheck.load")
Task = Callable[[FastHttpUser], None]
TOP_ERRORS = 10


def load_context() -> LoadContext:
    """The run's context, or exit 2 with the configuration error (as the harness would)."""
    try:
        return context_from_environ()
    except ConfigError as exc:
        print(f"synthcheck load: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _task(request: LoadRequest, context: LoadContext) -> Task:
    paths = itertools.cycle(request.paths)
    redact = context.redactor.redact
    timeout_s = context.env.http.read_timeout_s
    headers = dict(request.headers) or None  # over the user's default_headers

    def send(user: FastHttpUser) -> None:
        with user.client.request(
            request.method, next(paths), name=request.name, headers=headers, catch_response=True
        ) as response:
            if not response.status_code:  # no HTTP response at all
                response.failure(_no_response(response.error, timeout_s))
                return
            expect = request.expect
            content_type = response.headers.get("Content-Type") if expect.content_type else None
            problem = expect.problem(response.status_code, content_type, response.content or b"")
            if problem is None:
                response.success()
            else:
                response.failure(redact(problem))

    send.__name__ = send.__qualname__ = request.key
    return send


def _no_response(error: object, timeout_s: float) -> str:
    """Plain words for a request without an HTTP answer (never the exception's text)."""
    if isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower():
        return f"no response: timed out after {timeout_s:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "no response: connection refused"
    if isinstance(error, ConnectionResetError):
        return "no response: connection reset by the server"
    return "no response: the connection failed before an HTTP answer"


def tasks_of(context: LoadContext) -> dict[Task, int]:
    return {_task(r, context): r.weight for r in context.workload.requests}


def wait_time_of(context: LoadContext) -> Callable[[Any], float]:
    profile = context.workload.profile
    wait: Callable[[Any], float] = between(profile.wait_min_s, profile.wait_max_s)
    return wait


# locust rounds response times (to 100 ms above 1 s, 1 s above 10 s): a request that
# ran into the client's timeout is recorded near, not exactly at, the cut-off.
_CUTOFF_SLACK = 0.95


def _timeouts(entry: Any, cutoff_ms: float | None) -> int:
    """Requests recorded at the client's cut-off: timed out, their latency only "≥"."""
    if cutoff_ms is None:
        return 0
    times: dict[float, int] = dict(getattr(entry, "response_times", {}) or {})
    return sum(n for ms, n in times.items() if ms >= cutoff_ms * _CUTOFF_SLACK)


def _row(key: str, entry: Any, cutoff_ms: float | None = None) -> RowStats:
    sent = entry.num_requests > 0

    def pct(fraction: float) -> float | None:
        return float(entry.get_response_time_percentile(fraction)) if sent else None

    return RowStats(
        key=key,
        requests=entry.num_requests,
        failures=entry.num_failures,
        median_ms=pct(0.5),
        p95_ms=pct(0.95),
        p99_ms=pct(0.99),
        max_ms=float(entry.max_response_time) if sent else None,
        avg_ms=float(entry.avg_response_time) if sent else None,
        rps=float(entry.total_rps),
        timeouts=_timeouts(entry, cutoff_ms),
        cutoff_ms=cutoff_ms,
    )


def _error_text(error: Any) -> str:
    """Our own failure text, without the wrapper a worker's report adds."""
    text = str(error)
    if text.startswith("CatchResponseError(") and text.endswith(")"):
        text = text.removeprefix("CatchResponseError(").removesuffix(")").strip("'\"")
    return text


def _errors(environment: Any, redact: Callable[[str], str]) -> list[dict[str, Any]]:
    errors = sorted(environment.stats.errors.values(), key=lambda e: -e.occurrences)
    return [
        {
            "request": f"{e.method} {e.name}",
            "error": redact(_error_text(e.error))[:300],
            "occurrences": e.occurrences,
        }
        for e in errors[:TOP_ERRORS]
    ]


@dataclass
class _Clock:
    started_at: float = 0.0
    started: float = 0.0
    workers: int = 0


def install(context: LoadContext) -> None:
    """Hook the run: gates at start-up, thresholds and results when it ends."""
    clock = _Clock()

    def check_target(environment: Any, **_: Any) -> None:
        if isinstance(environment.runner, WorkerRunner):
            return  # the master checked; workers take its --host
        try:
            context.check_host(environment.host)
        except ConfigError as exc:
            log.error("synthcheck load: %s", exc)
            raise SystemExit(2) from None
        log.info("profile %s", context.workload.profile.describe())
        log.info("requests %s", context.workload.weights)

    def started(environment: Any, **_: Any) -> None:
        clock.started_at, clock.started = time.time(), time.monotonic()
        if isinstance(environment.runner, MasterRunner):
            clock.workers = environment.runner.worker_count

    def judge(environment: Any, **_: Any) -> None:
        if isinstance(environment.runner, WorkerRunner):
            return
        stats = environment.stats
        cutoff_ms = context.env.http.read_timeout_s * 1000.0  # the locustfile's network_timeout
        rows = [_row(f"{e.method} {e.name}", e, cutoff_ms) for e in stats.entries.values()]
        total = _row(OVERALL, stats.total, cutoff_ms)
        outcomes = evaluate(context.workload.thresholds, rows, total)
        for outcome in outcomes:
            (log.warning if outcome.state == "broken" else log.info)(outcome.line)
        LoadResults(
            host=str(environment.host),
            profile=context.workload.profile.describe(),
            started_at=clock.started_at or time.time(),
            duration_s=round(time.monotonic() - clock.started, 3) if clock.started else 0.0,
            workers=clock.workers,
            rows=rows,
            total=total,
            thresholds=outcomes,
            errors=_errors(environment, context.redactor.redact),
        ).write(context.results_path)
        failed = broken(outcomes)
        log.info(
            "synthcheck load: %s (%d of %d thresholds broken); results: %s",
            "FAILED" if failed else "PASSED",
            len(failed),
            len([o for o in outcomes if o.state != "not_judged"]),
            context.results_path,
        )
        environment.process_exit_code = 1 if failed else 0

    for hook, handler in (
        (events.init, check_target),
        (events.test_start, started),
        (events.quitting, judge),
    ):
        _listen(hook, handler)


def _listen(hook: Any, handler: Callable[..., None]) -> None:
    hook.add_listener(handler)  # locust's EventHook.add_listener carries no type hints
