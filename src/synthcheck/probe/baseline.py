"""Latency samples of the stable version, for the pre-deploy baseline comparison.

From a live deployment probed side by side with the candidate (the same endpoints,
the same client, the same moment: what automated canary analysis compares), or from
the newest passing run of an environment in the history (its latency checks keep a
spread-out sample of their times).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from synthcheck.config import Environment
from synthcheck.history import open_store
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe.measure import split
from synthcheck.probe.recorder import Recorder

__all__ = ["BaselineSamples", "from_history", "from_live"]

_LATENCY_CHECK = "latency.response_time"


@dataclass
class BaselineSamples:
    source: str  # "https://prod.example.com" or "production run of 2026-11-28 (1.4.2)"
    times: dict[str, list[float]]  # target id -> successful response times (ms)
    error: str = ""

    def of(self, target: ProbeTarget) -> list[float]:
        return self.times.get(target.id, [])


def from_live(
    plan: ProbePlan, env: Environment, url: str, targets: Sequence[ProbeTarget]
) -> BaselineSamples:
    """Probe the baseline deployment with the candidate's own endpoints and client."""
    baseline_plan = replace(
        plan,
        base_url=url.rstrip("/"),
        targets=tuple(targets),
        samples=env.baseline.samples,
        warmup=2,
    )
    recorder = Recorder(baseline_plan, env.http)
    try:
        if not recorder.preflight().reachable:
            return BaselineSamples(url, {}, f"the baseline {url} does not answer")
        return BaselineSamples(
            url,
            {t.id: split(t, recorder.exchanges(t), env.error_rate)[0] for t in targets},
        )
    finally:
        recorder.close()


def from_history(location: str | None, env_name: str, target: str | None) -> BaselineSamples:
    """The newest passing run of ``env_name`` against ``target`` (its own base URL, never
    another host verified with its budgets) that kept latency samples."""
    if not location:
        return BaselineSamples(f"history of {env_name}", {}, "run history is off")
    with open_store(location) as store:
        for run in store.runs(env_name, target=target, limit=50):
            if run.outcome != "passed":
                continue
            times = {
                check.check_id.partition("[")[2].rstrip("]"): [
                    float(t) for t in check.metrics.get("samples_ms") or []
                ]
                for check in run.checks
                if check.check_id.startswith(_LATENCY_CHECK + "[")
            }
            if any(times.values()):
                when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(run.started_at))
                version = f", {run.version}" if run.version else ""
                return BaselineSamples(f"{env_name} run of {when}{version}", times)
    return BaselineSamples(
        f"history of {env_name}", {}, f"no passing run of {env_name} with latency samples"
    )
