"""Power and false alarms of the statistical verdicts, simulated offline.

    .venv/bin/python benchmarks/bench_decisions.py [--runs 1000] [--seed 1] [--env local]

No HTTP: each simulated run draws requests from a known truth and feeds them, in
the batches the adaptive sampler would send (``next_batch``), to the very functions
the checks use (``judge_rate``, ``judge_quantile``). Sampling settings and
confidences come from the environment file's postdeploy suite.

Printed per true error rate (budget 5 %) and per true P95 (as a multiple of the
budget): P(fail), P(pass), P(inconclusive), mean requests; next to the fixed-N design
that meets the same goals with one look (computed exactly from the binomial).
Goals (issue #3): <= 1 % fails at <= 2 % errors, >= 99 % fails at >= 10 %, and far
fewer requests than fixed-N at 0 % and 30 %; the same for P95 at 0.5x .. 2x budget.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synthcheck.config import Environment, load_environment
from synthcheck.probe.sampling import next_batch
from synthcheck.stats import Confidence, Decision, judge_quantile, judge_rate, sf
from synthcheck.verdicts.error_rate import policy

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


def sequential(
    draw: Callable[[int], list[float]],
    decide: Callable[[list[float]], tuple[Decision, int]],
    initial: int,
    env: Environment,
    max_samples: int,
) -> tuple[Decision, int]:
    """One run: the opening round, then the adaptive sampler's batches."""
    samples = draw(initial)
    while True:
        decision, needed = decide(samples)
        batch = next_batch(
            len(samples), needed, min_batch=env.statistics.min_batch, max_samples=max_samples
        )
        if decision != Decision.INCONCLUSIVE or batch == 0:
            return decision, len(samples)
        samples += draw(batch)


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
    print(
        f"\nP95, budget {BUDGET_MS:g} ms, lognormal sigma {SIGMA}: sequential (order-statistic"
        f" bounds, pass {level.pass_level:.0%} / fail {level.fail_level:.1%}, {initial} then"
        f" batches up to {cap})"
    )
    print("  vs fixed N (one look with the same rule, exact binomial on the count over budget)")
    print(
        "  true P95   over budget   P(fail)  P(pass)  P(inconc.)  mean req |"
        "  N=60 P(fail) P(pass) | N=300 P(fail) P(pass)"
    )

    def decide(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_quantile(samples, 0.95, BUDGET_MS, level)
        return verdict.decision, verdict.more_needed

    cases: list[tuple[str, float, Callable[[int], list[float]]]] = []
    for ratio in (0.5, 1.0, 1.5, 2.0):
        mu = math.log(BUDGET_MS * ratio) - Z95 * SIGMA
        cases.append((f"{ratio:.1f}x", exceedance(ratio), lambda k, m=mu: _lognormal(rng, m, k)))
    cases.append(("tail 10 %", 0.10, lambda k: _tail(rng, 0.10, k)))
    for label, p_over, draw in cases:
        tally = Tally()
        for _ in range(runs):
            tally.add(*sequential(draw, decide, initial, env, cap))
        fixed = [fixed_quantile(n, p_over, level) for n in (60, 300)]
        print(
            f"  {label:<9} {p_over * 100:8.2f} %   {tally.row()}  |"
            + " |".join(f" {f * 100:9.2f} % {p * 100:6.2f} %" for f, p in fixed)
        )


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
    rule = policy(env.error_rate)
    endpoints = 8
    at_budget = Tally()
    at_p0 = Tally()
    mu = math.log(BUDGET_MS) - Z95 * SIGMA

    def p95(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_quantile(samples, 0.95, BUDGET_MS, level)
        return verdict.decision, verdict.more_needed

    def rate(samples: list[float]) -> tuple[Decision, int]:
        verdict = judge_rate(len(samples), int(sum(samples)), BUDGET_RATE, rule)
        return verdict.decision, verdict.more_needed

    for _ in range(runs):
        at_budget.add(*sequential(lambda k: _lognormal(rng, mu, k), p95, initial, env, cap))
        at_p0.add(
            *sequential(
                lambda k: [float(rng.random() < 0.02) for _ in range(k)], rate, initial, env, cap
            )
        )
    print(f"\nfalse fails per run, {endpoints} endpoints all on the boundary (worst case)")
    for name, tally in (("P95 exactly at budget", at_budget), ("error rate at 2 %", at_p0)):
        one = tally.fail / tally.runs
        print(
            f"  {name:<22} per verdict {one * 100:5.2f} %   per run"
            f" 1-(1-p)^{endpoints} = {(1 - (1 - one) ** endpoints) * 100:5.2f} %"
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


if __name__ == "__main__":
    main()
