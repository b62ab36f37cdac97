"""Adaptive sampling against an in-memory service: more where undecided, none where failed."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx

from synthcheck.config import Endpoint, Environment, HttpSettings, SuiteSettings
from synthcheck.plan import build_plan
from synthcheck.probe import Recorder, TransportErrorKind
from synthcheck.probe.sampling import AdaptiveSampler, next_batch
from synthcheck.verdicts.evidence import samples_needed
from tests.support.exchanges import exchange, target


def environment(max_samples: int = 300, preflight_attempts: int = 3) -> Environment:
    endpoints = tuple(
        Endpoint(name=path, role="other", method="GET", path=path)
        for path in ("/ok", "/broken", "/flaky", "/slow")
    )
    suites = {"postdeploy": SuiteSettings(samples=10, warmup=1, max_samples=max_samples)}
    return Environment(
        name="t",
        source=Path("t.toml"),
        base_url="http://svc.test",
        endpoints=endpoints,
        suites=suites,
        http=HttpSettings(max_rps=10_000, preflight_attempts=preflight_attempts),
    )


def service() -> httpx.MockTransport:
    flaky = itertools.count()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/broken":
            return httpx.Response(500)
        if request.url.path == "/flaky" and next(flaky) % 20 == 19:
            return httpx.Response(503)  # 5 %: between "healthy" 2 % and "failing" 9 %
        return httpx.Response(200, json={"ok": True})

    return httpx.MockTransport(handler)


def sampler_for(env: Environment, transport: httpx.AsyncBaseTransport) -> AdaptiveSampler:
    plan = build_plan(env, "postdeploy")
    recorder = Recorder(plan, env.http, transport=transport)
    return AdaptiveSampler(
        recorder,
        plan.targets,
        lambda target, exchanges: samples_needed(target, exchanges, env),
        max_samples=env.suite("postdeploy").max_samples,
        min_batch=env.statistics.min_batch,
    )


def test_each_endpoint_gets_what_its_verdicts_need() -> None:
    env = environment(max_samples=120)
    sampler = sampler_for(env, service())
    try:
        records = sampler.settle()
        by_path = {t.path: t for t in sampler.targets}
        ok = records[by_path["/ok"].id]
        assert (ok.initial, ok.total, ok.stopped) == (10, 63, "settled")  # clean: SPRT pass at 63
        broken = records[by_path["/broken"].id]
        assert (broken.total, broken.added) == (10, 0)  # failed in the opening round
        flaky = records[by_path["/flaky"].id]
        assert (flaky.total, flaky.stopped) == (120, "max_samples")
        assert len(sampler.exchanges(by_path["/ok"])) == 63
        assert sampler.settle() is records  # once per run
        assert "10 planned + 53 adaptive" in ok.describe()
        assert all(not e.warmup for e in sampler.exchanges(by_path["/ok"]))
    finally:
        sampler.recorder.close()


def test_unreachable_service_gets_no_extra_traffic() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    sampler = sampler_for(environment(preflight_attempts=1), httpx.MockTransport(refuse))
    try:
        records = sampler.settle()
        assert all(r.total == 0 and r.stopped == "no answers" for r in records.values())
        assert sampler.recorder.requests_sent == 1  # the preflight attempt only
    finally:
        sampler.recorder.close()


def test_batches_grow_geometrically_and_stop_at_the_cap() -> None:
    assert next_batch(10, 53, min_batch=10, max_samples=300) == 53  # exactly what decides
    assert next_batch(10, 2, min_batch=10, max_samples=300) == 10  # at least min_batch
    assert next_batch(100, 3, min_batch=10, max_samples=300) == 50  # at least half again
    assert next_batch(290, 40, min_batch=10, max_samples=300) == 10  # never past the cap
    assert next_batch(300, 40, min_batch=10, max_samples=300) == 0
    assert next_batch(10, 0, min_batch=10, max_samples=300) == 0  # decided


def test_latency_asks_only_until_its_sequential_test_decides() -> None:
    env = environment()
    health = target()  # a probe: no error-rate verdict, latency alone decides
    fast = [exchange(200, total_ms=3.0, seq=i) for i in range(60)]
    assert samples_needed(health, fast[:20], env) == 36  # (0.90/0.95)^56 < 5 %: pass at 56
    assert samples_needed(health, fast[:56], env) == 0
    # Timed out: samples "at least 10 s"; three of them fail latency, nothing more is sent.
    cut = [exchange(None, total_ms=10_000.0, error=TransportErrorKind.TOTAL_TIMEOUT)] * 3
    assert samples_needed(health, cut[:2], env) == 1
    assert samples_needed(health, cut, env) == 0
