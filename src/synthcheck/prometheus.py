"""Prometheus text-format export: a node-exporter textfile and, optionally, a Pushgateway.

Names follow the blackbox exporter where they mean the same thing (``probe_success``,
``probe_duration_seconds``), so existing dashboards and alerts can read a canary run
like any other probe; per-check figures use the ``synthcheck_`` prefix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from synthcheck.history.records import AlertState

__all__ = ["push_metrics", "render_metrics", "write_textfile"]

_QUANTILES = (("p50_ms", "0.5"), ("p95_ms", "0.95"), ("p99_ms", "0.99"))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(**labels: str | None) -> str:
    parts = [f'{k}="{_escape(str(v))}"' for k, v in labels.items() if v is not None]
    return "{" + ",".join(parts) + "}"


class _Family:
    def __init__(self, name: str, help_text: str, kind: str = "gauge") -> None:
        self.name, self.help, self.kind = name, help_text, kind
        self.samples: list[str] = []

    def add(self, value: float, **labels: str | None) -> None:
        self.samples.append(f"{self.name}{_labels(**labels)} {value:.6g}")

    def render(self) -> list[str]:
        if not self.samples:
            return []
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}", *self.samples]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def render_metrics(summary: Mapping[str, Any], firing: Iterable[AlertState] = ()) -> str:
    env, suite = str(summary["env"]), str(summary["suite"])
    success = _Family("probe_success", "1 if the verification run passed, else 0.")
    duration = _Family("probe_duration_seconds", "Wall time of the verification run.")
    last = _Family("synthcheck_last_run_timestamp_seconds", "When the last run finished.")
    check = _Family("synthcheck_check_success", "1 if the check passed or warned, 0 if it failed.")
    latency = _Family("synthcheck_latency_seconds", "Latency quantiles per endpoint.")
    errors = _Family("synthcheck_error_ratio", "Observed error ratio per endpoint.")
    memory = _Family("synthcheck_memory_percent", "Memory usage reported by the health body.")
    memory_used = _Family(
        "synthcheck_memory_used", "Used memory, in the unit the health body reports it."
    )
    rate_limit = _Family(
        "synthcheck_rate_limit_usage_ratio", "Peak share of the upstream API rate limit used."
    )
    alerts = _Family("synthcheck_alert_firing", "1 while an alert rule is firing.")
    success.add(1.0 if summary["outcome"] == "passed" else 0.0, env=env, suite=suite)
    duration.add(float(summary["duration_s"]), env=env, suite=suite)
    finished = float(summary.get("finished_at_epoch") or 0) or None
    if finished:
        last.add(finished, env=env, suite=suite)
    for c in summary.get("checks", []):
        if c["outcome"] in ("skipped",):
            continue
        labels = dict(env=env, check=c["id"], category=c["category"], endpoint=c.get("endpoint"))
        check.add(0.0 if c["outcome"] in ("failed", "error") else 1.0, **labels)
        metrics: Mapping[str, Any] = c.get("metrics") or {}
        endpoint = c.get("endpoint") or c["id"]
        if c["category"] in ("latency", "liveness"):
            for key, quantile in _QUANTILES:
                value = _number(metrics.get(key))
                if value is not None:
                    latency.add(value / 1000.0, env=env, endpoint=endpoint, quantile=quantile)
        ratio = _number(metrics.get("error_rate"))
        if c["category"] == "error_rate" and ratio is not None:
            errors.add(ratio, env=env, endpoint=endpoint)
        percent = _number(metrics.get("memory_percent"))
        if percent is not None:
            memory.add(percent, env=env)
        used = _number(metrics.get("memory_used"))
        if c["category"] == "memory" and used is not None:
            memory_used.add(used, env=env)
        usage = _number(metrics.get("usage"))
        if c["category"] == "rate_limit" and usage is not None:
            rate_limit.add(usage, env=env)
    for alert in firing:
        alerts.add(1.0, env=env, rule=alert.rule, severity=alert.severity)
    families: Sequence[_Family] = (
        success,
        duration,
        last,
        check,
        latency,
        errors,
        memory,
        memory_used,
        rate_limit,
        alerts,
    )
    return "\n".join(line for f in families for line in f.render()) + "\n"


def write_textfile(path: Path, text: str) -> None:
    """Atomic replace: node-exporter's textfile collector must never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def push_metrics(url: str, text: str, *, job: str, env: str, timeout_s: float = 3.0) -> str:
    """PUT to a Pushgateway (``<url>/metrics/job/<job>/env/<env>``); returns "" or the error."""
    target = f"{url.rstrip('/')}/metrics/job/{job}/env/{env}"
    try:
        response = httpx.put(
            target,
            content=text.encode(),
            headers={"Content-Type": "text/plain; version=0.0.4"},
            timeout=timeout_s,
            trust_env=False,
        )
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return "" if response.status_code < 300 else f"HTTP {response.status_code}"
