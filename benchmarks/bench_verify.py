"""Wall time of whole verify runs: healthy, refused, hanging, a 30-s endpoint, a huge body.

    .venv/bin/python benchmarks/bench_verify.py [--rounds 5] [--only NAME] [--compare DIR]

Each case runs ``scripts/deploy-verify.sh`` as a user would (new process, pytest
start-up, reports written) and prints median/min/max seconds, the exit code and the
goal (docs/deadlines.md): healthy embedded default ≤ 3 s, refused ≤ 2 s, hanging
≤ 10 s with the default timeouts (staging's 10-s read timeout: that + 2 s), a 30-s
data endpoint and a slowly produced 40 MB body within the suite's deadline + 5 s.

``--compare DIR``: another checkout of the project (for example the last commit:
``git archive HEAD | tar -x -C /tmp/before``), run with this interpreter and its own
``src`` on ``PYTHONPATH``, in turn with this tree in every round, so that both see
the same machine load; the ratio after/before is printed per case.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def _run(tree: Path, args: Sequence[str]) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHCHECK_")}
    env["SYNTHCHECK_PYTHON"] = sys.executable
    env["PYTHONPATH"] = str(tree / "src")  # each tree its own code (the venv is shared)
    with tempfile.TemporaryDirectory() as reports:
        started = time.perf_counter()
        done = subprocess.run(
            [str(tree / "scripts" / "deploy-verify.sh"), f"--reports-dir={reports}", *args],
            cwd=tree,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        return time.perf_counter() - started, done.returncode


def _line(label: str, times: list[float], codes: set[int], goal_s: float) -> str:
    median = statistics.median(times)
    verdict = "ok" if median <= goal_s else "OVER"
    return (
        f"{label:<44} median {median:6.2f} s   min {min(times):6.2f}   max {max(times):6.2f}"
        f"   exit {sorted(codes)}   goal ≤ {goal_s:g} s: {verdict}   n={len(times)}"
    )


def _measure(name: str, args: list[str], rounds: int, goal_s: float, before: Path | None) -> None:
    trees = ([before] if before else []) + [ROOT]
    times: dict[Path, list[float]] = {tree: [] for tree in trees}
    codes: dict[Path, set[int]] = {tree: set() for tree in trees}
    for _ in range(rounds):
        for tree in trees:  # in turn: both see the same load
            seconds, code = _run(tree, args)
            times[tree].append(seconds)
            codes[tree].add(code)
    if before is None:
        print(_line(name, times[ROOT], codes[ROOT], goal_s), flush=True)
        return
    print(_line(f"{name}, before", times[before], codes[before], goal_s))
    print(_line(f"{name}, after", times[ROOT], codes[ROOT], goal_s))
    ratio = statistics.median(times[ROOT]) / statistics.median(times[before])
    print(f"{'':<44} after/before {ratio:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--only", choices=("healthy", "refused", "hanging", "slow_data", "slow_huge_body")
    )
    parser.add_argument("--compare", type=Path, default=None, metavar="DIR")
    ns = parser.parse_args()
    rounds, only, before = ns.rounds, ns.only, ns.compare
    if before is not None and not (before / "scripts" / "deploy-verify.sh").is_file():
        parser.error(f"--compare: no scripts/deploy-verify.sh under {before}")
    print(f"deploy-verify.sh wall time, {rounds} rounds each ({os.cpu_count()} cores)")
    if only in (None, "healthy"):
        _measure("healthy embedded service (local)", ["--env=local"], rounds, 3.0, before)
    if only in (None, "refused"):
        refused = ["--env=staging", f"--base-url=http://127.0.0.1:{_free_port()}"]
        _measure("refused target (staging budgets)", refused, rounds, 2.0, before)
    if only in (None, "hanging"):
        with _service("hang") as url:
            # A hanging target costs one read timeout (docs/deadlines.md): the default
            # (5 s, local.toml and the built-in [http]) meets the 10-s goal; staging and
            # production wait 10 s on purpose, so their goal is that timeout + 2 s.
            hanging = ["--env=local", f"--base-url={url}"]
            _measure("hanging target (default timeouts)", hanging, rounds, 10.0, before)
            hanging = ["--env=staging", f"--base-url={url}"]
            _measure("hanging target (staging, read 10 s)", hanging, rounds, 12.0, before)
    # The suite's deadline (postdeploy: 60 s) plus 5 s; the runs end well inside it.
    if only in (None, "slow_data"):
        with _service("slow_data") as url:
            slow = ["--env=production", f"--base-url={url}"]
            _measure("30-s data endpoint (production budgets)", slow, rounds, 65.0, before)
    if only in (None, "slow_huge_body"):
        with _service("slow_huge_body") as url:
            huge = ["--env=staging", f"--base-url={url}"]
            _measure("slow 40 MB body (staging budgets)", huge, rounds, 65.0, before)


if __name__ == "__main__":
    main()
