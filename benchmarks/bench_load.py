"""Load generator throughput: this project's locustfile, a plain FastHttpUser, and wrk.

    .venv/bin/python benchmarks/bench_load.py [--seconds 10] [--users 32] [--processes 2]

Targets, side by side in one run: the reference service (the embedded default) and a
static file server (nginx from Debian's packages: ``apt-get install -y nginx wrk``,
run on a loopback port with a config generated under /tmp; ``python -m http.server``
when nginx is missing) serving the same paths with bodies captured from the
reference service. On each target three generators send the same weighted requests
with no pause between them:

- ``wrk``: the C baseline (skipped, with a note, when wrk is not installed);
- ``plain``: a bare ``FastHttpUser`` locustfile (no response checks);
- ``harness``: ``loadtests/locustfile.py`` (status, JSON and schema checks, the
  shape, the end-of-run thresholds), configured by a generated environment file.

locust runs with ``--processes N`` to use N cores. Printed per row: requests/s, the
generator's CPU use (all its processes, measured while the load runs), requests/s per
generator core, and the ratio to wrk on the same target. The last lines give the
harness's overhead against the plain locustfile: in requests/s per generator core on
the static server, where the generator (not the target) is the bottleneck. Goal:
under 10 %. Loopback only; every run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "loadtests" / "locustfile.py"
# The reference environment's load mix: fred-data weighs 6, the others 1.
MIX = [
    ("GET", "/api/fred-data?series=UNRATE", "/api/fred-data", 2),
    ("GET", "/api/fred-data?series=GDPC1", "/api/fred-data", 2),
    ("GET", "/api/fred-data?series=CPIAUCSL", "/api/fred-data", 2),
    ("GET", "/api/health", "/api/health", 1),
    ("HEAD", "/api/health", "/api/health", 1),
    ("GET", "/api/ready", "/api/ready", 1),
    ("GET", "/api/live", "/api/live", 1),
]

PLAIN_LOCUSTFILE = """
from locust import FastHttpUser, constant, task


class Plain(FastHttpUser):
    wait_time = constant(0)
{tasks}
"""
PLAIN_TASK = """
    @task({weight})
    def t{index}(self):
        self.client.request("{method}", "{path}", name="{name}")
"""
BENCH_ENV = """schema_version = 1
name = "bench"
base_url = "embedded"

[load]
profile = "smoke"
max_users = 1000
min_requests = 1

[load.profiles.smoke]
users = {users}
spawn_rate = {users}
duration_s = {seconds}
wait_min_ms = 0
wait_max_ms = 0

[[endpoints]]
role = "health"
path = "/api/health"
schema = "{health_schema}"

[[endpoints]]
role = "health"
method = "HEAD"
path = "/api/health"

[[endpoints]]
role = "ready"
path = "/api/ready"

[[endpoints]]
role = "live"
path = "/api/live"

[[endpoints]]
role = "data"
path = "/api/fred-data"
params = {{ series = ["UNRATE", "GDPC1", "CPIAUCSL"] }}
schema = "builtin:fred-data"
weight = 6
"""
WRK_SCRIPT = """
local requests = {{}}
{lines}
local i = 0
request = function()
  i = (i % #requests) + 1
  return requests[i]
end
"""
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ try_files $uri =404; }}
  }}
}}
"""


@dataclass
class Row:
    target: str
    generator: str
    rps: float
    cpu_percent: float  # of one core; 200 % = two cores busy
    note: str = ""

    @property
    def per_core(self) -> float:
        return self.rps / (self.cpu_percent / 100) if self.cpu_percent > 0 else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _capture_bodies(base_url: str, root: Path) -> None:
    """The static copy serves what the reference serves (the schemas must hold)."""
    with httpx.Client(base_url=base_url, trust_env=False) as client:
        for path in ("/api/health", "/api/ready", "/api/live", "/api/fred-data?series=UNRATE"):
            body = client.get(path).content
            target = root / path.split("?")[0].lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)


def _wait_for(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, trust_env=False, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def static_server(reference_url: str) -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-static-") as tmp_dir:
        tmp = Path(tmp_dir)
        root = tmp / "root"
        _capture_bodies(reference_url, root)
        # nginx's workers run as www-data: the files must be readable by others.
        for path in [tmp, *tmp.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        port = _free_port()
        nginx = shutil.which("nginx") or (
            "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
        )
        if nginx:
            conf = tmp / "nginx.conf"
            conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
            command, name = [nginx, "-c", str(conf), "-p", str(tmp)], "nginx"
        else:
            print("nginx not found (apt-get install -y nginx): using python -m http.server")
            command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
            command += ["--directory", str(root)]
            name = "http.server"
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url + "/api/live")
            if httpx.get(url + "/api/live", trust_env=False).status_code != 200:
                raise RuntimeError(f"{name} does not serve the captured files")
            yield name, url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _measure_cpu(popen: subprocess.Popen[bytes], warmup_s: float, window_s: float) -> float:
    """CPU percent of the generator (all its processes) over a window inside the run."""
    process = psutil.Process(popen.pid)
    time.sleep(warmup_s)
    before, started = _cpu_seconds(process), time.monotonic()
    time.sleep(window_s)
    return (_cpu_seconds(process) - before) / (time.monotonic() - started) * 100


def run_wrk(url: str, seconds: int, users: int, threads: int, tmp: Path) -> Row | None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk not found (apt-get install -y wrk): skipped")
        return None
    lines = "\n".join(
        f'table.insert(requests, wrk.format("{method}", "{path}"))'
        for method, path, _, weight in MIX
        for _ in range(weight)
    )
    script = tmp / "mix.lua"
    script.write_text(WRK_SCRIPT.format(lines=lines))
    command = [wrk, f"-t{threads}", f"-c{users}", f"-d{seconds}s", "-s", str(script), url]
    popen = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    cpu = _measure_cpu(popen, 1.0, seconds - 2.0)
    output = popen.communicate(timeout=seconds + 30)[0].decode()
    rps = next(
        float(line.split()[1]) for line in output.splitlines() if line.startswith("Requests/sec")
    )
    return Row("", "wrk", rps, cpu)


def _locust_rps(json_file: Path) -> float:
    entries = json.loads(json_file.read_text())
    requests = sum(e["num_requests"] for e in entries)
    start = min(e["start_time"] for e in entries)
    end = max(e["last_request_timestamp"] for e in entries)
    return requests / (end - start) if end > start else 0.0


def run_locust(kind: str, url: str, seconds: int, users: int, processes: int, tmp: Path) -> Row:
    out = tmp / f"{kind}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHCHECK_")}
    command = [sys.executable, "-m", "locust", "--headless", "--host", url, "--only-summary"]
    # locust adds ".json" to the --json-file name.
    command += ["--processes", str(processes), "--json-file", str(out.with_suffix(""))]
    # Without --expect-workers the run may start before every forked worker is in.
    command += ["--expect-workers", str(processes), "--loglevel", "WARNING"]
    if kind == "plain":
        tasks = "".join(
            PLAIN_TASK.format(index=i, weight=w, method=m, path=p, name=n)
            for i, (m, p, n, w) in enumerate(MIX)
        )
        plain = tmp / "plain_locustfile.py"
        plain.write_text(PLAIN_LOCUSTFILE.format(tasks=tasks))
        command += ["-f", str(plain), "-u", str(users), "-r", str(users), "-t", f"{seconds}s"]
    else:
        bench_env = tmp / "bench.toml"
        schema = ROOT / "environments" / "schemas" / "health.reference.schema.json"
        bench_env.write_text(BENCH_ENV.format(users=users, seconds=seconds, health_schema=schema))
        env.update(SYNTHCHECK_ENV=str(bench_env), SYNTHCHECK_LOAD_RESULTS=str(tmp / "results.json"))
        command += ["-f", str(LOCUSTFILE)]
    popen = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp
    )
    cpu = _measure_cpu(popen, 2.5, seconds - 3.0)
    output = popen.communicate(timeout=seconds + 60)[0].decode()
    note = ""
    if kind == "harness":
        results = json.loads((tmp / "results.json").read_text())
        failures = results["total"]["failures"]
        note = f"{failures} failed checks" if failures else "all responses checked, 0 failed"
    if not out.is_file():
        raise RuntimeError(f"locust ({kind}) wrote no stats:\n{output[-2000:]}")
    return Row("", kind, _locust_rps(out), cpu, note)


def _medians(measured: list[Row]) -> list[Row]:
    keys = list(dict.fromkeys((r.target, r.generator) for r in measured))
    rows = []
    for target, generator in keys:
        same = [r for r in measured if (r.target, r.generator) == (target, generator)]
        rps = statistics.median(r.rps for r in same)
        cpu = statistics.median(r.cpu_percent for r in same)
        rows.append(Row(target, generator, rps, cpu, same[-1].note))
    return rows


def _print(rows: list[Row]) -> None:
    header = ("target", "generator", "req/s", "gen CPU", "req/s/core", "vs wrk")
    print("{:<12} {:<9} {:>9} {:>8} {:>11} {:>7}  note".format(*header))
    for row in rows:
        wrk = next((r for r in rows if r.target == row.target and r.generator == "wrk"), None)
        ratio = f"{row.rps / wrk.rps:6.2f}x" if wrk and wrk.rps else "    n/a"
        print(
            f"{row.target:<12} {row.generator:<9} {row.rps:9.0f} {row.cpu_percent:7.0f}%"
            f" {row.per_core:11.0f} {ratio:>7}  {row.note}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per row (median)")
    parser.add_argument("--users", type=int, default=32, help="concurrent users / connections")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="locust --processes"
    )
    ns = parser.parse_args()
    if ns.seconds < 5:
        parser.error("--seconds must be at least 5 (CPU is measured inside the run)")
    from synthcheck.reference import reference_service

    print(
        f"load generators, median of {ns.rounds} x {ns.seconds} s, {ns.users} users/connections,"
        f" locust --processes {ns.processes}, {os.cpu_count()} cores shared by generator and target"
    )
    measured: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_dir, reference_service() as ref:
        tmp = Path(tmp_dir)
        with static_server(ref.base_url) as (static_name, static_url):
            # Rounds interleave the generators, so a noisy neighbour hits them alike.
            for _ in range(ns.rounds):
                for target, url in (("reference", ref.base_url), (static_name, static_url)):
                    wrk = run_wrk(url, ns.seconds, ns.users, ns.processes, tmp)
                    batch = [wrk] if wrk else []
                    for kind in ("plain", "harness"):
                        batch.append(run_locust(kind, url, ns.seconds, ns.users, ns.processes, tmp))
                    for row in batch:
                        row.target = target
                    measured += batch
    rows = _medians(measured)
    _print(rows)
    static = [r for r in rows if r.target not in ("reference",)]
    plain = next(r for r in static if r.generator == "plain")
    harness = next(r for r in static if r.generator == "harness")
    overhead = 1 - harness.per_core / plain.per_core if plain.per_core else 0.0
    print(
        f"harness overhead vs plain FastHttpUser on {plain.target}: {overhead:.1%} fewer"
        f" req/s per generator core ({harness.per_core:.0f} vs {plain.per_core:.0f});"
        f" goal < 10 %: {'met' if overhead < 0.10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
