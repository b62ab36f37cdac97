"""Wall time of whole verify runs: healthy, refused target, hanging target.

    .venv/bin/python benchmarks/bench_verify.py [--rounds 5]

Each case runs ``scripts/deploy-verify.sh`` as a user would (new process, pytest
start-up, reports written) and prints median/min/max seconds and the exit code.
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
def _hanging_service() -> Iterator[str]:
    from synthcheck.reference import reference_service

    with reference_service(faults=["hang"]) as service:
        yield service.base_url


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


def _measure(name: str, args: list[str], rounds: int) -> None:
    times, codes = [], set()
    for _ in range(rounds):
        seconds, code = _run(args)
        times.append(seconds)
        codes.add(code)
    print(
        f"{name:<34} median {statistics.median(times):6.2f} s   min {min(times):6.2f}"
        f"   max {max(times):6.2f}   exit {sorted(codes)}   n={rounds}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    print(f"deploy-verify.sh wall time, {rounds} rounds each ({os.cpu_count()} cores)")
    _measure("healthy embedded service (local)", ["--env=local"], rounds)
    _measure(
        "refused target (staging budgets)",
        ["--env=staging", f"--base-url=http://127.0.0.1:{_free_port()}"],
        rounds,
    )
    with _hanging_service() as url:
        _measure("hanging target (staging budgets)", ["--env=staging", f"--base-url={url}"], rounds)


if __name__ == "__main__":
    main()
