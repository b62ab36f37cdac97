"""Timeouts are slow, not down; the run deadline; endpoints decided are not resampled."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from synthcheck.catalog import Category
from synthcheck.config import Endpoint, Environment, ErrorRateSettings, HttpSettings, SuiteSettings
from synthcheck.plan import build_plan
from synthcheck.probe import Recorder, TransportError, TransportErrorKind
from synthcheck.probe.deadline import Deadline
from synthcheck.probe.errors import Timeouts, classify_error
from synthcheck.probe.sampling import AdaptiveSampler
from synthcheck.verdicts import Outcome, availability, error_rate
from synthcheck.verdicts.evidence import samples_needed
from synthcheck.verdicts.samples import UNREACHABLE, no_answer
from synthcheck.verdicts.timeline import run_span
from tests.support.exchanges import exchange, target

DATA = target("data", "/api/fred-data")
PAGE = target("page", "/")
ERRORS = ErrorRateSettings()
INTERNAL = "Cancelled via cancel scope 7ff9a1b2c3d0; reason: deadline exceeded"


def timeout(seq: int = 1) -> object:
    e = exchange(None, total_ms=10_000.0, seq=seq)
    e.error = TransportError(TransportErrorKind.READ_TIMEOUT, "timed out after 10 s (read)")
    return e


# -- plain words -----------------------------------------------------------------
def test_transport_errors_become_plain_words_never_exception_text() -> None:
    limits = Timeouts(connect_s=3.0, read_s=10.0, total_s=15.0)
    read = classify_error(httpx.ReadTimeout(INTERNAL), limits)
    assert (read.kind, read.message) == (
        TransportErrorKind.READ_TIMEOUT,
        "timed out after 10 s (read)",
    )
    assert classify_error(httpx.ConnectTimeout(INTERNAL), limits).message == (
        "timed out after 3 s (connect)"
    )
    assert classify_error(TimeoutError(INTERNAL), limits).message == (
        "timed out after 15 s (no complete response)"
    )
    refused = httpx.ConnectError("All connection attempts failed")
    refused.__cause__ = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 9)")
    assert classify_error(refused).message == "connection refused"
    reset = httpx.ReadError("")
    reset.__cause__ = ConnectionResetError(104, "Connection reset by peer")
    assert classify_error(reset).message == "connection reset by the server"
    for error in (read, classify_error(refused), classify_error(reset)):
        assert "Cancelled" not in error.message
        assert "Errno" not in error.message
        assert str(error) == error.message


def test_a_timeout_is_a_censored_latency_sample() -> None:
    cut = timeout()
    assert cut.timed_out
    assert cut.censored_ms == 10_000.0
    refused = exchange(None, error=TransportErrorKind.CONNECT_REFUSED)
    assert not refused.timed_out
    assert refused.censored_ms is None
    assert not exchange(200).timed_out


# -- availability: slow is not down ------------------------------------------------
def test_timeouts_while_the_service_answers_are_latency_not_availability() -> None:
    result = availability.endpoint_answers(DATA, [timeout(1), timeout(2), timeout(3)])
    assert result.outcome == Outcome.SKIPPED
    assert "3 of 3 samples timed out" in result.message
    assert "latency" in result.message
    assert "not down" in result.message


def test_an_endpoint_failing_otherwise_is_still_availability() -> None:
    refused = exchange(None, error=TransportErrorKind.CONNECT_REFUSED)
    assert availability.endpoint_answers(DATA, [refused, refused]).outcome == Outcome.FAILED
    mixed = [timeout(1), exchange(None, error=TransportErrorKind.PROTOCOL_ERROR)]
    assert availability.endpoint_answers(DATA, mixed).outcome == Outcome.FAILED
    # Without a reachable service, timeouts are no evidence of a slow endpoint.
    hung = availability.endpoint_answers(DATA, [timeout(1)], reachable=False)
    assert hung.outcome == Outcome.FAILED


def test_unreachable_only_when_the_reachability_check_failed() -> None:
    down = availability.endpoint_answers(DATA, [], reachable=False)
    assert (down.outcome, down.message) == (Outcome.SKIPPED, UNREACHABLE)
    cut = availability.endpoint_answers(DATA, [], reachable=True, cut=True)
    assert cut.outcome == Outcome.WARNED
    assert "deadline" in cut.message
    assert "unreachable" not in cut.message
    assert no_answer([]) == UNREACHABLE
    assert "slow, see latency" in no_answer([timeout()])
    assert "unreachable" not in no_answer([timeout()])


# -- error rate: timeouts count, per endpoint and overall ----------------------------
def test_timeouts_count_in_the_endpoint_error_rate() -> None:
    exchanges = [timeout(i) for i in range(1, 5)]
    result = error_rate.per_endpoint(DATA, exchanges, ERRORS, span=run_span(exchanges))
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.ERROR_RATE
    assert "4x timeout (read)" in result.message


def test_timeouts_count_in_the_overall_error_rate() -> None:
    page = [exchange(200, seq=i) for i in range(20, 80)]
    slow = [timeout(i) for i in range(1, 13)]
    result = error_rate.overall({PAGE: page, DATA: slow}, ERRORS, 0.05, span=run_span(page + slow))
    assert result.outcome == Outcome.FAILED
    assert result.metrics["endpoints"] == 2
    assert DATA.id in result.message


def test_an_undecided_error_rate_cut_by_the_deadline_says_so() -> None:
    few = [exchange(200, seq=1), timeout(2)]
    result = error_rate.per_endpoint(DATA, few, ERRORS, span=run_span(few), cut=True)
    assert result.outcome == Outcome.WARNED
    assert "the run deadline cut sampling" in result.message
    none = error_rate.per_endpoint(DATA, [], ERRORS, span=(0.0, 0.0), cut=True)
    assert none.outcome == Outcome.WARNED
    assert "deadline" in none.message


# -- the recorder: deadline and decided endpoints ------------------------------------
def _env(*paths: str, deadline_s: float = 60.0, max_body: int = 1_048_576) -> Environment:
    endpoints = tuple(Endpoint(name=p, role="other", method="GET", path=p) for p in paths)
    return Environment(
        name="t",
        source=Path("t.toml"),
        base_url="http://svc.test",
        endpoints=endpoints,
        suites={
            "postdeploy": SuiteSettings(
                samples=10, warmup=0, max_samples=200, deadline_s=deadline_s
            )
        },
        http=HttpSettings(
            max_rps=10_000, total_timeout_s=0.3, read_timeout_s=0.3, max_body_bytes=max_body
        ),
    )


async def _service(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/slow":
        await asyncio.sleep(30)
    if path == "/huge":
        return httpx.Response(200, content=b"x" * 4096)
    if path == "/crawl":
        await asyncio.sleep(0.2)
    return httpx.Response(200, json={"ok": True})


def _recorder(env: Environment, deadline_s: float | None = None) -> Recorder:
    plan = build_plan(env, "postdeploy")
    return Recorder(
        plan,
        env.http,
        transport=httpx.MockTransport(_service),
        deadline=Deadline(deadline_s),
    )


def test_an_endpoint_that_keeps_timing_out_is_not_resampled() -> None:
    env = _env("/ok", "/slow")
    recorder = _recorder(env)
    try:
        recorder.sample()
        slow = next(t for t in recorder.plan.targets if t.path == "/slow")
        ok = next(t for t in recorder.plan.targets if t.path == "/ok")
        timed_out = recorder.exchanges(slow)
        assert 2 <= len(timed_out) <= env.http.concurrency + 1
        assert all(e.timed_out for e in timed_out)
        assert "timeouts in a row" in (recorder.stop_reason(slow) or "")
        assert len(recorder.exchanges(ok)) == 10
    finally:
        recorder.close()


def test_a_body_over_the_cap_is_not_resampled() -> None:
    env = _env("/ok", "/huge", max_body=1024)
    recorder = _recorder(env)
    try:
        recorder.sample()
        huge = next(t for t in recorder.plan.targets if t.path == "/huge")
        assert all(e.body_truncated for e in recorder.exchanges(huge))
        assert len(recorder.exchanges(huge)) <= env.http.concurrency + 1
        assert "size cap" in (recorder.stop_reason(huge) or "")
    finally:
        recorder.close()


def test_the_deadline_stops_sampling_and_cancels_requests_in_flight() -> None:
    env = _env("/ok", "/crawl")
    recorder = _recorder(env, deadline_s=0.5)
    sampler = AdaptiveSampler(
        recorder,
        recorder.plan.targets,
        lambda t, ex: 1_000,  # never decided: only the deadline ends it
        max_samples=10_000,
        min_batch=10,
    )
    started = time.monotonic()
    try:
        records = sampler.settle()
    finally:
        recorder.close()
    assert time.monotonic() - started < 1.5
    crawl = next(t for t in recorder.plan.targets if t.path == "/crawl")
    assert recorder.cut_by_deadline(crawl)
    assert records[crawl.id].stopped == "the run deadline (0.5 s)"
    assert "the run deadline (0.5 s)" in records[crawl.id].describe()


def test_without_a_deadline_a_decided_run_is_unchanged() -> None:
    env = _env("/ok")
    recorder = _recorder(env, deadline_s=None)
    try:
        sampler = AdaptiveSampler(
            recorder,
            recorder.plan.targets,
            lambda t, ex: samples_needed(t, ex, env),
            max_samples=200,
            min_batch=10,
        )
        records = sampler.settle()
    finally:
        recorder.close()
    (record,) = records.values()
    assert record.stopped == "settled"
    assert not recorder.deadline.cut


@pytest.mark.parametrize("budget", [None, 5.0])
def test_deadline_arithmetic(budget: float | None) -> None:
    deadline = Deadline(budget, started_mono=time.monotonic())
    assert not deadline.expired
    assert deadline.limit(10.0) == (10.0 if budget is None else pytest.approx(5.0, abs=0.1))
    past = replace(deadline, started_mono=time.monotonic() - 100)
    assert past.expired == (budget is not None)


# -- pacing: slow endpoints never hold every slot -------------------------------------
def test_a_priority_waiter_gets_the_next_slot() -> None:
    from synthcheck.probe.pacing import Pacer

    async def go() -> list[str]:
        pacer = Pacer(concurrency=1, max_rps=10_000)
        order: list[str] = []
        await pacer.acquire()

        async def wait(name: str, priority: bool) -> None:
            await pacer.acquire(priority=priority)
            order.append(name)
            pacer.release()

        tasks = [asyncio.ensure_future(wait("queued", False))]
        await asyncio.sleep(0)
        tasks.append(asyncio.ensure_future(wait("retry", True)))
        await asyncio.sleep(0)
        pacer.release()
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(go()) == ["retry", "queued"]


def test_a_request_no_longer_wanted_gives_its_slot_back() -> None:
    from synthcheck.probe.pacing import Pacer

    async def go() -> tuple[bool, bool]:
        pacer = Pacer(concurrency=1, max_rps=10_000)
        refused = await pacer.acquire(lambda: False)
        taken = await pacer.acquire(lambda: True)  # the slot came back
        pacer.release()
        return refused, taken

    assert asyncio.run(go()) == (False, True)


def test_slow_endpoints_never_hold_every_slot_and_the_rest_keeps_going() -> None:
    in_flight = {"slow": 0, "peak": 0}
    began = time.monotonic()

    async def service(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/slow"):
            in_flight["slow"] += 1
            # Before the first timeout nothing is known to be slow: count from then on.
            if time.monotonic() - began > 0.35:
                in_flight["peak"] = max(in_flight["peak"], in_flight["slow"])
            try:
                await asyncio.sleep(30)
            finally:
                in_flight["slow"] -= 1
        return httpx.Response(200, json={"ok": True})

    env = _env("/ok", "/slow-a", "/slow-b", "/slow-c", "/slow-d")
    recorder = Recorder(
        build_plan(env, "postdeploy"),
        env.http,
        transport=httpx.MockTransport(service),
        deadline=Deadline(20.0),
    )
    started = time.monotonic()
    try:
        recorder.sample()
        ok = next(t for t in recorder.plan.targets if t.path == "/ok")
        assert len(recorder.exchanges(ok)) == 10
        slow = [t for t in recorder.plan.targets if t.path.startswith("/slow")]
        assert all(recorder.stop_reason(t) for t in slow)
        assert all(all(e.timed_out for e in recorder.exchanges(t)) for t in slow)
    finally:
        recorder.close()
    assert in_flight["peak"] <= env.http.concurrency - 1
    assert time.monotonic() - started < 10


def test_an_endpoint_stopped_at_the_size_cap_points_at_response_size() -> None:
    huge = [exchange(200, truncated=True)]
    result = error_rate.per_endpoint(
        DATA,
        huge,
        ERRORS,
        span=run_span(huge),
        stopped="body over the size cap (response_size decided)",
    )
    assert result.outcome == Outcome.SKIPPED
    assert "see response_size" in result.message
