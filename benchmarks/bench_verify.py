"""Wall time of whole verify runs: healthy, refused, hanging, a 30-s endpoint, a huge body.

    .venv/bin/python benchmarks/bench_verify.py [--rounds 5] [--only NAME]

Each case runs ``scripts/deploy-verify.sh`` as a user would (new process, pytest
start-up, reports written) and prints median/min/max seconds, the exit code and the
goal (docs/deadlines.md): healthy embedded default ≤ 3 s, refused ≤ 2 s, hanging
≤ 10 s, a 30-s data endpoint and a slowly produced 40 MB body within the suite's
deadline + 5 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "deploy-verify.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _service(fault: str) -> Iterator[str]:
    """A reference service with ``fault``; the verifier's FRED probes go to its stub."""
    from synthcheck.reference import reference_service

    with reference_service(faults=[fault]) as service:
        previous = os.environ.get("FRED_BASE_URL")
        os.environ["FRED_BASE_URL"] = service.upstream_url  # never the real FRED
        try:
            yield service.base_url
        finally:
            if previous is None:
                os.environ.pop("FRED_BASE_URL", None)
            else:
                os.environ["FRED_BASE_URL"] = previous


def _run(args: list[str]) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHCHECK_")}
    env["SYNTHCHECK_PYTHON"] = sys.executable
    with tempfile.TemporaryDirectory() as reports:
        started = time.perf_counter()
        done = subprocess.run(
            [str(SCRIPT), f"--reports-dir={reports}", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        return time.perf_counter() - started, done.returncode


def _measure(name: str, args: list[str], rounds: int, goal_s: float) -> None:
    times, codes = [], set()
    for _ in range(rounds):
        seconds, code = _run(args)
        times.append(seconds)
        codes.add(code)
    median = statistics.median(times)
    verdict = "ok" if median <= goal_s else "OVER"
    print(
        f"{name:<44} median {median:6.2f} s   min {min(times):6.2f}   max {max(times):6.2f}"
        f"   exit {sorted(codes)}   goal ≤ {goal_s:g} s: {verdict}   n={rounds}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--only", choices=("healthy", "refused", "hanging", "slow_data", "slow_huge_body")
    )
    ns = parser.parse_args()
    rounds, only = ns.rounds, ns.only
    print(f"deploy-verify.sh wall time, {rounds} rounds each ({os.cpu_count()} cores)")
    if only in (None, "healthy"):
        _measure("healthy embedded service (local)", ["--env=local"], rounds, 3.0)
    if only in (None, "refused"):
        refused = ["--env=staging", f"--base-url=http://127.0.0.1:{_free_port()}"]
        _measure("refused target (staging budgets)", refused, rounds, 2.0)
    if only in (None, "hanging"):
        with _service("hang") as url:
            hanging = ["--env=staging", f"--base-url={url}"]
            _measure("hanging target (staging budgets)", hanging, rounds, 10.0)
    # The suite's deadline (postdeploy: 60 s) plus 5 s; the runs end well inside it.
    if only in (None, "slow_data"):
        with _service("slow_data") as url:
            slow = ["--env=production", f"--base-url={url}"]
            _measure("30-s data endpoint (production budgets)", slow, rounds, 65.0)
    if only in (None, "slow_huge_body"):
        with _service("slow_huge_body") as url:
            huge = ["--env=staging", f"--base-url={url}"]
            _measure("slow 40 MB body (staging budgets)", huge, rounds, 65.0)


if __name__ == "__main__":
    main()
