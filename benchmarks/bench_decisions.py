"""Power and false alarms of the statistical verdicts, simulated offline and exact.

    .venv/bin/python benchmarks/bench_decisions.py [--runs 1000] [--seed 1] [--env local]

No HTTP: each simulated run draws requests from a known truth and feeds them, in
the batches the adaptive sampler would send (``next_batch``), to the very functions
the checks use (``judge_rate``, ``judge_tail``). Sampling settings and confidences
come from the environment file's postdeploy suite.

Printed per true error rate (budget 5 %) and per true P95 (as a multiple of the
budget): P(fail), P(pass), P(inconclusive), mean requests; for the P95 also the
exact figures (a latency verdict depends only on how many requests were over
budget, so its operating characteristic is computed exactly by dynamic programming
over the sampler's looks) next to the order-statistic rule used before, and next to
the fixed-N design that meets the same goals with one look.
Goals (issue #3, #10): <= 1 % fails at <= 2 % errors, >= 99 % at 10 %; for P95
<= 0.5 % fails exactly on the budget (5 % over) and the most power at a 10 % slow
tail that this allows (see "information bound" in the output), few requests when
healthy; a 10 % tail over a whole service caught by the pooled verdict.
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synthcheck.config import Environment, load_environment
from synthcheck.probe.sampling import next_batch
from synthcheck.stats import (
    Confidence,
    Decision,
    TailTest,
    judge_quantile,
    judge_rate,
    judge_tail,
    pmf,
    sf,
)
from synthcheck.verdicts.error_rate import policy
from synthcheck.verdicts.latency import tail_test_for

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATE = 0.05
BUDGET_MS = 500.0
SIGMA = 0.5  # lognormal spread of response times: P95/P50 = e^(1.645 * 0.5) = 2.3
Z95 = statistics.NormalDist().inv_cdf(0.95)


@dataclass
class Tally:
    fail: int = 0
    passed: int = 0
    undecided: int = 0
    requests: int = 0
    runs: int = 0

    def add(self, decision: Decision, requests: int) -> None:
        self.runs += 1
        self.requests += requests
        if decision == Decision.FAIL:
            self.fail += 1
        elif decision == Decision.PASS:
            self.passed += 1
        else:
            self.undecided += 1

    def row(self) -> str:
        def pct(k: int) -> str:
            return f"{k / self.runs * 100:6.1f} %"

        return (
            f"{pct(self.fail)} {pct(self.passed)} {pct(self.undecided)}"
            f" {self.requests / self.runs:8.1f}"
        )


def sampled(
    draw: Callable[[int], list[float]],
    decide: Callable[[list[float]], tuple[Decision, int]],
    initial: int,
    env: Environment,
    max_samples: int,
) -> tuple[Decision, list[float]]:
    """One endpoint: the opening round, then the adaptive sampler's batches."""
    samples = draw(initial)
    while True:
        decision, needed = decide(samples)
        batch = next_batch(
            len(samples), needed, min_batch=env.statistics.min_batch, max_samples=max_samples
        )
        if decision != Decision.INCONCLUSIVE or batch == 0:
            return decision, samples
        samples += draw(batch)


def sequential(
    draw: Callable[[int], list[float]],
    decide: Callable[[list[float]], tuple[Decision, int]],
    initial: int,
    env: Environment,
    max_samples: int,
) -> tuple[Decision, int]:
    decision, samples = sampled(draw, decide, initial, env, max_samples)
    return decision, len(samples)


def error_rates(env: Environment, runs: int, rng: random.Random, initial: int, cap: int) -> None:
    rates = (0.0, 0.01, 0.02, 0.05, 0.08, 0.10, 0.30)
    rule = policy(env.error_rate)
    fixed_n, threshold = fixed_rate_design()
    print(
        f"\nerror rate, budget {BUDGET_RATE:.0%}: sequential (SPRT, {initial} then batches"
        f" up to {cap})"
    )
    print(f"  vs fixed N = {fixed_n} (fail at >= {threshold} errors: the smallest one-look design")
    print("    meeting the same goals, exact binomial)")
    print("  true rate   P(fail)  P(pass)  P(inconc.)  mean req |  fixed-N P(fail)  req")

    def decide(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_rate(len(samples), int(sum(samples)), BUDGET_RATE, rule)
        return verdict.decision, verdict.more_needed

    for rate in rates:
        tally = Tally()
        for _ in range(runs):
            draw = lambda k, p=rate: _bernoulli(rng, p, k)  # noqa: E731
            tally.add(*sequential(draw, decide, initial, env, cap))
        fixed = sf(fixed_n, threshold, rate)
        print(f"  {rate:8.0%}   {tally.row()}  | {fixed * 100:12.2f} %  {fixed_n:4d}")


def fixed_rate_design() -> tuple[int, int]:
    """Smallest N and threshold c with P(X>=c | 2 %) <= 1 % and P(X>=c | 10 %) >= 99 %."""
    for n in range(10, 5000):
        for c in range(1, n + 1):
            if sf(n, c, 0.02) <= 0.01:
                if sf(n, c, 0.10) >= 0.99:
                    return n, c
                break
    raise RuntimeError("no fixed design found")


def exceedance(ratio: float) -> float:
    """P(one response > budget) when the true P95 is ``ratio`` x budget (lognormal)."""
    return 1.0 - statistics.NormalDist().cdf(Z95 - math.log(ratio) / SIGMA)


def latencies(env: Environment, runs: int, rng: random.Random, initial: int, cap: int) -> None:
    level = Confidence(env.statistics.confidence, env.statistics.fail_confidence)
    test = tail_test_for(0.95, env.statistics)
    print(
        f"\nP95, budget {BUDGET_MS:g} ms: sequential tail test (boundary {test.tail:.0%} over"
        f" budget, alternatives {test.near:.0%} and {test.far:.1%}, fail risk"
        f" {test.alpha:.1%}, pass risk {test.beta:.0%}; {initial} then batches up to {cap})"
    )
    print("  simulated: lognormal sigma 0.5 (P95/P50 = 2.3) or the reference slow_tail")
    print("  exact: dynamic programming over the sampler's looks (only the count over budget")
    print("  matters); before: the order-statistic rule this replaced, exact the same way;")
    print("  fixed N=300: one look with the order-statistic rule")
    print(
        "  true P95     over   simulated P(fail) P(pass) P(inc.)  req |"
        "  exact P(fail) P(pass)   req | before P(fail) P(pass)   req | N=300 P(fail)"
    )

    def decide(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_tail(samples, 0.95, BUDGET_MS, test, level)
        return verdict.decision, verdict.more_needed

    cases: list[tuple[str, float, Callable[[int], list[float]]]] = []
    for ratio in (0.5, 1.0, 1.5, 2.0):
        mu = math.log(BUDGET_MS * ratio) - Z95 * SIGMA
        cases.append((f"{ratio:.1f}x", exceedance(ratio), lambda k, m=mu: _lognormal(rng, m, k)))
    for share in (0.0, 0.01, 0.05, 0.10, 0.20):
        cases.append((f"tail {share:.0%}", share, lambda k, p=share: _tail(rng, p, k)))
    steps = (initial, env.statistics.min_batch, cap)
    for label, p_over, draw in cases:
        tally = Tally()
        for _ in range(runs):
            tally.add(*sequential(draw, decide, initial, env, cap))
        now = exact_sequential(_counts(test, level), p_over, *steps)
        before = exact_sequential(_counts(None, level), p_over, *steps)
        fixed, _ = fixed_quantile(300, p_over, level)
        print(
            f"  {label:<9} {p_over * 100:6.2f} %    {tally.row()} |"
            f" {_exact_row(now)} | {_exact_row(before)} | {fixed * 100:9.2f} %"
        )
    least = information_bound(test.tail, 0.10, fail_at_p0=0.005, fail_at_p1=0.99)
    print(
        f"  information bound: a test of any design that fails <= 0.5 % of endpoints at"
        f" {test.tail:.0%} over budget and >= 99 % at 10 % needs >= {least:.0f} requests"
        " on average at 10 % (Wald-Wolfowitz: mean KL divergence per request)"
    )


def _counts(test: TailTest | None, level: Confidence) -> Callable[[int, int], tuple[Decision, int]]:
    """(n, over) -> (decision, more needed) of the tail test (None: the rule before it)."""

    @functools.cache
    def decide(n: int, over: int) -> tuple[Decision, int]:
        values = [1.0] * (n - over) + [2.0] * over
        if test is None:
            before = judge_quantile(values, 0.95, 1.5, level)
            return before.decision, before.more_needed
        verdict = judge_tail(values, 0.95, 1.5, test, level)
        return verdict.decision, verdict.more_needed

    return decide


def exact_sequential(
    decide: Callable[[int, int], tuple[Decision, int]],
    p_over: float,
    initial: int,
    min_batch: int,
    cap: int,
) -> tuple[float, float, float]:
    """Exact (P(fail), P(pass), mean requests) over every path of the sampler's looks."""
    alive = {(initial, over): pmf(initial, over, p_over) for over in range(initial + 1)}
    fail = passed = requests = 0.0
    while alive:
        following: dict[tuple[int, int], float] = {}
        for (n, over), weight in alive.items():
            decision, needed = decide(n, over)
            batch = next_batch(n, needed, min_batch=min_batch, max_samples=cap)
            if decision == Decision.INCONCLUSIVE and batch > 0:
                for k in range(batch + 1):
                    key = (n + batch, over + k)
                    following[key] = following.get(key, 0.0) + weight * pmf(batch, k, p_over)
                continue
            fail += weight if decision == Decision.FAIL else 0.0
            passed += weight if decision == Decision.PASS else 0.0
            requests += weight * n
        alive = following
    return fail, passed, requests


def _exact_row(figures: tuple[float, float, float]) -> str:
    fail, passed, requests = figures
    return f"{fail * 100:9.2f} % {passed * 100:6.1f} % {requests:5.0f}"


def information_bound(p0: float, p1: float, *, fail_at_p0: float, fail_at_p1: float) -> float:
    """Least mean sample size at ``p1`` of any test with these fail chances at p0, p1.

    E_p1[N] * KL(p1 || p0) >= d(fail_at_p1 || fail_at_p0), d the binary divergence.
    """

    def kl(a: float, b: float) -> float:
        return sum(x * math.log(x / y) for x, y in ((a, b), (1 - a, 1 - b)) if x > 0)

    return kl(fail_at_p1, fail_at_p0) / kl(p1, p0)


def _bernoulli(rng: random.Random, p: float, k: int) -> list[float]:
    """k requests, each an error (1.0) with probability p."""
    return [float(rng.random() < p) for _ in range(k)]


def _lognormal(rng: random.Random, mu: float, k: int) -> list[float]:
    return [rng.lognormvariate(mu, SIGMA) for _ in range(k)]


def _tail(rng: random.Random, p: float, k: int) -> list[float]:
    """The reference service's slow_tail: a fraction p at 1.2 s, the rest ~3 ms."""
    return [1200.0 if rng.random() < p else rng.uniform(1.0, 5.0) for _ in range(k)]


def fixed_quantile(n: int, p_over: float, level: Confidence) -> tuple[float, float]:
    """Exact P(fail), P(pass) of one look at n samples: only the count over budget matters."""
    fail = passed = 0.0
    for over in range(n + 1):
        weight = math.comb(n, over) * p_over**over * (1 - p_over) ** (n - over)
        decision = judge_quantile([1.0] * (n - over) + [2.0] * over, 0.95, 1.5, level).decision
        fail += weight if decision == Decision.FAIL else 0.0
        passed += weight if decision == Decision.PASS else 0.0
    return fail, passed


def family(env: Environment, runs: int, rng: random.Random, initial: int, cap: int) -> None:
    """Worst case for a whole run: every endpoint sitting exactly on its budget."""
    level = Confidence(env.statistics.confidence, env.statistics.fail_confidence)
    test = tail_test_for(0.95, env.statistics)
    rule = policy(env.error_rate)
    endpoints = 8
    at_p0 = Tally()

    def rate(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_rate(len(samples), int(sum(samples)), BUDGET_RATE, rule)
        return verdict.decision, verdict.more_needed

    for _ in range(runs):
        at_p0.add(*sequential(lambda k: _bernoulli(rng, 0.02, k), rate, initial, env, cap))
    steps = (initial, env.statistics.min_batch, cap)
    now, _, _ = exact_sequential(_counts(test, level), test.tail, *steps)
    before, _, _ = exact_sequential(_counts(None, level), test.tail, *steps)
    print(f"\nfalse fails per run, {endpoints} endpoints all on the boundary (worst case)")
    rows = (
        ("P95 at budget, exact", now),
        ("  (before: order stat.)", before),
        ("error rate at 2 %", at_p0.fail / at_p0.runs),
    )
    for name, one in rows:
        print(
            f"  {name:<24} per verdict {one * 100:5.2f} %   per run"
            f" 1-(1-p)^{endpoints} = {(1 - (1 - one) ** endpoints) * 100:5.2f} %"
        )


def pooled(env: Environment, runs: int, rng: random.Random, initial: int, cap: int) -> None:
    """A run of 8 endpoints with the same truth: their own P95 verdicts and the pooled one."""
    level = Confidence(env.statistics.confidence, env.statistics.fail_confidence)
    test = tail_test_for(0.95, env.statistics)
    endpoints = 8

    def decide(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_tail(samples, 0.95, BUDGET_MS, test, level)
        return verdict.decision, verdict.more_needed

    print(f"\nlatency per run, {endpoints} endpoints with the same share over budget")
    print("  share over   P(pooled fails)  P(an endpoint fails)  P(latency fails)  req/endpoint")
    for share in (0.01, 0.05, 0.10):
        pooled_fail = any_fail = either = requests = 0
        for _ in range(runs):
            every: list[float] = []
            endpoint_failed = False
            for _ in range(endpoints):
                decision, samples = sampled(
                    lambda k, p=share: _tail(rng, p, k), decide, initial, env, cap
                )
                every += samples
                endpoint_failed |= decision == Decision.FAIL
            whole = judge_tail(every, 0.95, BUDGET_MS, test, level).decision == Decision.FAIL
            pooled_fail += whole
            any_fail += endpoint_failed
            either += whole or endpoint_failed
            requests += len(every)
        print(
            f"  {share:8.0%}     {pooled_fail / runs * 100:12.1f} %"
            f"  {any_fail / runs * 100:17.1f} %  {either / runs * 100:14.1f} %"
            f"  {requests / runs / endpoints:10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--env", default="local")
    args = parser.parse_args()
    env = load_environment(args.env, ROOT / "environments")
    suite = env.suite("postdeploy")
    rng = random.Random(args.seed)
    print(
        f"{args.runs} simulated runs per row; env {env.name}: postdeploy opening round"
        f" {suite.samples}, max_samples {suite.max_samples}, min_batch {env.statistics.min_batch}"
    )
    error_rates(env, args.runs, rng, suite.samples, suite.max_samples)
    latencies(env, args.runs, rng, suite.samples, suite.max_samples)
    family(env, args.runs, rng, suite.samples, suite.max_samples)
    pooled(env, args.runs, rng, suite.samples, suite.max_samples)


if __name__ == "__main__":
    main()
