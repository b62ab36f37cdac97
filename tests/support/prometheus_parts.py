"""Real Prometheus parts for the metrics tests (Debian's prometheus* packages).

Each server runs on a free loopback port with its data in a temporary folder, is
waited for on its own readiness endpoint (no sleeps), and is terminated afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.osparts import require
from tests.support.sockets import free_port

PACKAGES = {
    "promtool": "prometheus",
    "prometheus": "prometheus",
    "prometheus-pushgateway": "prometheus-pushgateway",
    "prometheus-node-exporter": "prometheus-node-exporter",
}


def binary(name: str) -> str:
    return require(name, PACKAGES[name])


def wait_ready(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 30
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1.0, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout_s} s: {log.read_text()[-2000:]}")


@contextmanager
def _server(command: list[str], ready_url: str, workdir: Path) -> Iterator[None]:
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        wait_ready(ready_url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def pushgateway() -> Iterator[str]:
    """A Pushgateway; yields its base URL."""
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="synthcheck-pgw-"))
    url = f"http://127.0.0.1:{port}"
    command = [binary("prometheus-pushgateway"), f"--web.listen-address=127.0.0.1:{port}"]
    try:
        with _server(command, f"{url}/-/ready", root):
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def node_exporter(textfile_dir: Path) -> Iterator[str]:
    """A node-exporter with only its textfile collector on; yields its base URL."""
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="synthcheck-nodeexp-"))
    url = f"http://127.0.0.1:{port}"
    command = [
        binary("prometheus-node-exporter"),
        f"--web.listen-address=127.0.0.1:{port}",
        "--collector.disable-defaults",
        "--collector.textfile",
        f"--collector.textfile.directory={textfile_dir}",
    ]
    try:
        with _server(command, f"{url}/metrics", root):
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def prometheus(scrape_targets: dict[str, str], interval_s: float = 1.0) -> Iterator[str]:
    """A Prometheus scraping ``{job: host:port}`` every ``interval_s``; yields its URL.

    ``honor_labels`` keeps the ``env``/``job`` labels a pushed run carries, as the
    Pushgateway documentation asks.
    """
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="synthcheck-prom-"))
    jobs = "\n".join(
        f"  - job_name: {job}\n    honor_labels: true\n"
        f"    static_configs:\n      - targets: ['{target}']"
        for job, target in scrape_targets.items()
    )
    config = root / "prometheus.yml"
    config.write_text(
        f"global:\n  scrape_interval: {interval_s:g}s\n  evaluation_interval: {interval_s:g}s\n"
        f"scrape_configs:\n{jobs}\n"
    )
    url = f"http://127.0.0.1:{port}"
    command = [
        binary("prometheus"),
        f"--config.file={config}",
        f"--storage.tsdb.path={root / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    try:
        with _server(command, f"{url}/-/ready", root):
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


def query_until(prometheus_url: str, promql: str, timeout_s: float = 30) -> list[dict[str, object]]:
    """Instant-query until the result is non-empty (the first scrapes take a moment)."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = httpx.get(
            f"{prometheus_url}/api/v1/query", params={"query": promql}, timeout=5, trust_env=False
        )
        response.raise_for_status()
        result: list[dict[str, object]] = response.json()["data"]["result"]
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)
