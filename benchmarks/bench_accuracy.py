"""Measurement accuracy: what the harness adds on top of a known server delay.

    .venv/bin/python benchmarks/bench_accuracy.py [--requests 100] [--rounds 3]

Starts the reference service with ``latency:ms=50`` (every response waits exactly
50 ms) and times ``GET /api/live`` one request at a time on one kept-alive
connection with each tool in turn, ``--rounds`` times interleaved so machine noise
hits them alike:

- harness:  the probe's RecordingClient and the checks' own ``response_ms`` (httpx
            trace: request sent -> last body byte)
- httpx:    a plain ``httpx.Client``, ``perf_counter`` around ``client.get``
- curl:     one curl process, many URLs, ``-w %{time_total}``
- wrk:      ``wrk -c1 -t1 --latency`` with a Lua ``done()`` printing P50/P95

Printed: P50 and P95 minus 50 ms (the client and loopback overhead). Goal: the
harness's overhead no worse than curl's in the same run. A missing tool is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

from synthcheck.config import HttpSettings
from synthcheck.probe import RecordingClient
from synthcheck.probe.measure import response_ms
from synthcheck.reference import reference_service
from synthcheck.stats import nearest_rank

DELAY_MS = 50.0
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %f %f\\n", summary.requests,
    latency:percentile(50) / 1000.0, latency:percentile(95) / 1000.0))
end
"""

Tool = Callable[[str, int], list[float]]


def harness(url: str, count: int) -> list[float]:
    async def run() -> list[float]:
        client = RecordingClient(HttpSettings(concurrency=1))
        try:
            await client.record(target_id="warm", method="GET", url=url, seq=0)
            times = []
            for seq in range(count):
                exchange = await client.record(target_id="t", method="GET", url=url, seq=seq)
                ms = response_ms(exchange)
                if ms is not None and exchange.ok:
                    times.append(ms)
            return times
        finally:
            await client.aclose()

    return asyncio.run(run())


def plain_httpx(url: str, count: int) -> list[float]:
    with httpx.Client(trust_env=False) as client:
        client.get(url)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000.0)
        return times


def curl(url: str, count: int) -> list[float]:
    args = ["curl", "-s", "-w", "%{time_total}\\n"]
    for _ in range(count + 1):
        args += ["-o", os.devnull, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return [float(line) * 1000.0 for line in done.stdout.split()][1:]  # first one: connect


def wrk(url: str, count: int) -> list[float]:
    """wrk reports percentiles, not samples: return [P50, P95] as a two-value 'sample'."""
    seconds = max(2, round(count * DELAY_MS / 1000.0))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        args = ["wrk", "-c1", "-t1", f"-d{seconds}s", "--latency", "-s", script.name, url]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    finally:
        Path(script.name).unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK "))
    _, _, p50, p95 = line.split()
    return [float(p50), float(p95)]


def summarize(name: str, samples: list[list[float]]) -> str:
    if name == "wrk":
        p50 = statistics.median(s[0] for s in samples)
        p95 = statistics.median(s[1] for s in samples)
        n = "(percentiles)"
    else:
        pooled = sorted(v for s in samples for v in s)
        p50, p95 = nearest_rank(pooled, 0.5), nearest_rank(pooled, 0.95)
        n = f"n={len(pooled)}"
    return (
        f"  {name:<8} P50-50ms {p50 - DELAY_MS:6.2f} ms   P95-50ms {p95 - DELAY_MS:6.2f} ms   {n}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tools: dict[str, Tool] = {"harness": harness, "httpx": plain_httpx}
    for name, tool in (("curl", curl), ("wrk", wrk)):
        if shutil.which(name):
            tools[name] = tool
        else:
            print(f"{name}: not installed, skipped (apt-get install -y {name})")
    results: dict[str, list[list[float]]] = defaultdict(list)
    with reference_service(faults=[f"latency:ms={DELAY_MS:g}"]) as service:
        url = f"{service.base_url}/api/live"
        for _ in range(args.rounds):
            for name, tool in tools.items():
                results[name].append(tool(url, args.requests))
    print(
        f"GET /api/live with a fixed {DELAY_MS:g} ms server delay, {args.rounds} interleaved"
        f" rounds of {args.requests} sequential kept-alive requests ({os.cpu_count()} cores)"
    )
    for name in tools:
        print(summarize(name, results[name]))


if __name__ == "__main__":
    main()
