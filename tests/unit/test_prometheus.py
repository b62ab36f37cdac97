"""Prometheus text format: blackbox-style names, escaped labels, atomic textfile, Pushgateway."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from synthcheck.history import AlertState
from synthcheck.prometheus import push_metrics, render_metrics, write_textfile
from tests.support.prometheus_parts import pushgateway

SUMMARY = {
    "env": "production",
    "suite": "canary",
    "outcome": "failed",
    "duration_s": 2.5,
    "checks": [
        {
            "id": "latency.p95[GET /api/health]",
            "category": "latency",
            "endpoint": "GET /api/health",
            "outcome": "passed",
            "metrics": {"p50_ms": 12.0, "p95_ms": 40.0, "p99_ms": 55.0},
        },
        {
            "id": "error_rate.rate[GET /x]",
            "category": "error_rate",
            "endpoint": 'GET /x?q="a"\\b',
            "outcome": "failed",
            "metrics": {"error_rate": 0.08},
        },
        {
            "id": "memory.within_budget[GET /api/health]",
            "category": "memory",
            "endpoint": "GET /api/health",
            "outcome": "passed",
            "metrics": {"memory_percent": 23.5},
        },
        {"id": "s", "category": "tls", "endpoint": None, "outcome": "skipped", "metrics": {}},
    ],
}
LINE = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+$')


def test_render_is_valid_exposition_format() -> None:
    text = render_metrics(
        SUMMARY, [AlertState("production", "error_rate", "firing", 1.0, 2.0, "P1", "x", "")]
    )
    samples = [line for line in text.splitlines() if not line.startswith("#")]
    assert samples
    assert all(LINE.match(line) for line in samples), samples
    assert 'probe_success{env="production",suite="canary"} 0' in text
    assert 'probe_duration_seconds{env="production",suite="canary"} 2.5' in text
    assert (
        'synthcheck_latency_seconds{env="production",endpoint="GET /api/health",quantile="0.95"} 0.04'
        in text
    )
    assert 'endpoint="GET /x?q=\\"a\\"\\\\b"' in text  # quotes and backslashes escaped
    assert "synthcheck_error_ratio" in text
    assert "synthcheck_memory_percent" in text
    assert 'synthcheck_alert_firing{env="production",rule="error_rate",severity="P1"} 1' in text
    assert 'check="s"' not in text  # skipped checks say nothing
    assert "# TYPE probe_success gauge" in text


def test_textfile_is_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "textfile" / "synthcheck.prom"
    write_textfile(path, "a 1\n")
    write_textfile(path, "a 2\n")
    assert path.read_text() == "a 2\n"
    assert [p.name for p in path.parent.iterdir()] == ["synthcheck.prom"]


def test_push_to_a_real_pushgateway() -> None:
    text = "# TYPE probe_success gauge\nprobe_success 1\n"
    with pushgateway() as url:
        error = push_metrics(url, text, job="synthcheck", env="production")
        exposed = httpx.get(f"{url}/metrics", timeout=5, trust_env=False).text
    assert error == ""
    assert 'probe_success{env="production",instance="",job="synthcheck"} 1' in exposed


def test_a_push_the_pushgateway_rejects_is_reported() -> None:
    # The same series twice in one push: the real Pushgateway answers 400.
    with pushgateway() as url:
        error = push_metrics(url, "a 1\na 2\n", job="synthcheck", env="production")
    assert error == "HTTP 400"


def test_push_failure_is_reported_not_raised() -> None:
    from tests.support.sockets import free_port

    assert (
        push_metrics(f"http://127.0.0.1:{free_port()}", "a 1\n", job="j", env="e") == "ConnectError"
    )
