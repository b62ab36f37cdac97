"""CPU and memory under load: the readings, the trend and its warnings."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import httpx

from synthcheck.config.model import HealthSettings
from synthcheck.load.resources import HealthProbe, ProcessProbe, ResourceSampler, listener_pid
from synthcheck.load.trend import MIB, ResourceSample, ResourceTrend, summarize

LIMITS = {"cpu_limit": 80.0, "growth_limit_mib": 4.0, "memory_budget_percent": 80.0}


def samples(
    cpu: list[float], mem_mib: list[float], after_mem_mib: list[float]
) -> list[ResourceSample]:
    during = [
        ResourceSample(float(t), False, "process", c, m * MIB)
        for t, (c, m) in enumerate(zip(cpu, mem_mib, strict=True))
    ]
    start = len(during)
    after = [
        ResourceSample(float(start + t), True, "process", 1.0, m * MIB)
        for t, m in enumerate(after_mem_mib)
    ]
    return during + after


def test_a_quiet_service_has_no_warnings() -> None:
    trend = summarize(samples([10, 30, 20, 25], [36, 37, 37, 37], [37, 37, 37]), **LIMITS)
    assert trend.warnings == []
    assert (trend.cpu_median, trend.cpu_peak) == (22.5, 30)
    assert trend.growth_after_mib == 0
    assert "CPU median 22 % (peak 30 %)" in trend.describe()
    assert "memory 36 → 37 MiB during the load" in trend.describe()


def test_cpu_above_the_limit_most_of_the_time_warns() -> None:
    trend = summarize(samples([95, 90, 40, 99, 97], [50] * 5, [50]), **LIMITS)
    assert trend.warnings == ["CPU stayed above 80 % under load: median 95 % over 5 samples"]


def test_a_short_cpu_burst_does_not_warn() -> None:
    assert summarize(samples([10, 99, 12, 15], [50] * 4, []), **LIMITS).warnings == []
    assert summarize(samples([99, 99], [50] * 2, []), **LIMITS).warnings == []  # too few to say


def test_memory_that_keeps_growing_after_the_load_warns() -> None:
    trend = summarize(samples([20] * 4, [40, 46, 52, 58], [60, 62, 64, 66, 68]), **LIMITS)
    assert trend.growth_after_mib == 10
    assert trend.warnings == [
        "memory kept growing after the load stopped: +10.0 MiB in 5 s (allowed 4 MiB)"
    ]


def test_memory_held_after_the_load_is_not_a_leak() -> None:
    # Grew under load, then flat (a cache filled): no warning.
    trend = summarize(samples([20] * 4, [40, 60, 80, 90], [90, 90, 89, 90]), **LIMITS)
    assert trend.warnings == []
    # Noise that ends higher but trends down is not growth either.
    noisy = summarize(samples([20] * 3, [40, 40, 40], [50, 47, 46, 45]), **LIMITS)
    assert noisy.warnings == []


def test_memory_over_budget_under_load_warns_from_the_health_percent() -> None:
    health = [ResourceSample(0.0, False, "health", 5.0, 400 * MIB, 85.5)]
    trend = summarize(health, **LIMITS)
    assert trend.source == "health"
    assert trend.warnings == ["memory reached 85.5 % of the limit under load (budget 80 %)"]


def test_no_samples_is_an_empty_trend_that_survives_json() -> None:
    trend = summarize([], **LIMITS)
    assert trend.empty
    assert trend.describe() == "no figures"
    full = summarize(samples([10, 20, 30], [1, 2, 3], [3]), **LIMITS)
    assert ResourceTrend.from_dict(full.to_dict()) == full


def test_process_probe_reads_cpu_and_rss_from_proc(tmp_path: Path) -> None:
    pid_dir = tmp_path / "4242"
    pid_dir.mkdir()
    ticks = os.sysconf("SC_CLK_TCK")
    stat = "4242 (python -m ref) S 1 2 3 4 5 6 7 8 9 10 {u} {s} 0 0 20 0 1 0"
    (pid_dir / "stat").write_text(stat.format(u=0, s=0))
    (pid_dir / "statm").write_text("1000 2560 300 1 0 500 0\n")
    probe = ProcessProbe(4242, proc=tmp_path)
    (pid_dir / "stat").write_text(stat.format(u=ticks * 100, s=0))  # 100 s of CPU: "busy"
    reading = probe.read()
    assert reading is not None
    assert reading["memory_bytes"] == 2560 * os.sysconf("SC_PAGE_SIZE")
    assert reading["cpu_percent"] is not None
    assert reading["cpu_percent"] > 100
    assert ProcessProbe(999999, proc=tmp_path).read() is None


def test_the_listener_of_a_local_port_is_this_process() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert listener_pid(server.getsockname()[1]) == os.getpid()


def test_health_probe_reads_the_configured_fields() -> None:
    body = {"memory": {"used": 64 * MIB, "limit": 256 * MIB}, "cpu": {"percent": 12.5}}
    probe = HealthProbe("http://svc/api/health", HealthSettings(), "cpu.percent")
    probe._client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body))
    )
    assert probe.read() == {"cpu_percent": 12.5, "memory_bytes": 64 * MIB, "memory_percent": 25.0}
    probe._client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, text="<html>"))
    )
    assert probe.read() is None
    probe.close()


class _Counter:
    source = "process"

    def __init__(self) -> None:
        self.n = 0

    def read(self) -> dict[str, float | None]:
        self.n += 1
        return {"cpu_percent": 1.0, "memory_bytes": float(self.n), "memory_percent": None}


def test_sampler_marks_what_came_after_the_load() -> None:
    sampler = ResourceSampler([_Counter()], interval_s=0.01).start()
    while not sampler._samples:
        sampler._stop.wait(0.01)
    sampler.cool_down(0.05)
    taken = sampler.stop()
    assert taken[0].after_load is False
    assert taken[-1].after_load is True
    assert [s.t for s in taken] == sorted(s.t for s in taken)
