"""Wall time of the project's own test command, split by directory.

    .venv/bin/python benchmarks/bench_tests.py                 # the README's command
    .venv/bin/python benchmarks/bench_tests.py tests/e2e tests/integration tests/plugin
    .venv/bin/python benchmarks/bench_tests.py --compare tests/e2e/test_fault_matrix.py

Runs ``pytest -n WORKERS [PATHS]`` from the project root (the README's test command is
``.venv/bin/pytest -n 4`` on everything in ``tests/``) with a JUnit file on the side,
and prints the wall time, then per directory the number of tests and the seconds
they took (summed over workers, so the column adds up to more than the wall time),
then the slowest tests. ``--compare`` runs the same paths twice, in process and then
with ``TESTS_VERIFY_VIA_SCRIPT=1`` (every ``verify_inprocess`` call spawns
``deploy-verify.sh`` as the tests did before, tests/support/inprocess.py), and prints
both wall times and their ratio: on a shared machine only the ratio of two runs side
by side means much. Goal (issue 11): the README's command in at most 240 s on the
project's 2-core machine. Exit status: pytest's (the first non-zero in ``--compare``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 240.0


@dataclass
class Timing:
    code: int
    wall_s: float
    per_dir: dict[str, tuple[int, float]]
    slowest: list[tuple[float, str]]


def _directory(classname: str) -> str:
    # "tests.e2e.test_fault_matrix" (or "...test_x.TestClass") -> "tests/e2e"
    parts = [p for p in classname.split(".") if p]
    modules = [i for i, p in enumerate(parts) if p.startswith("test_")]
    return "/".join(parts[: modules[0]] if modules else parts[:-1]) or "."


def _read_junit(path: Path) -> tuple[dict[str, tuple[int, float]], list[tuple[float, str]]]:
    counts: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    cases: list[tuple[float, str]] = []
    for case in ET.parse(path).getroot().iter("testcase"):
        classname, spent = case.get("classname", ""), float(case.get("time", "0") or 0)
        directory = _directory(classname)
        counts[directory] += 1
        seconds[directory] += spent
        cases.append((spent, f"{classname}::{case.get('name', '')}"))
    per_dir = {d: (counts[d], seconds[d]) for d in sorted(counts)}
    return per_dir, sorted(cases, reverse=True)[:10]


def measure(paths: list[str], workers: int, via_script: bool) -> Timing:
    env = dict(os.environ)
    env.pop("TESTS_VERIFY_VIA_SCRIPT", None)
    if via_script:
        env["TESTS_VERIFY_VIA_SCRIPT"] = "1"
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [sys.executable, "-m", "pytest", "-n", str(workers), "-q"]
        command += ["-p", "no:cacheprovider", f"--junitxml={junit}", *paths]
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)
        wall = time.monotonic() - started
        per_dir, slowest = _read_junit(junit) if junit.is_file() else ({}, [])
    return Timing(done.returncode, wall, per_dir, slowest)


def report(label: str, timing: Timing) -> None:
    print(f"\n{label}: {timing.wall_s:.0f} s wall (pytest exit {timing.code})")
    print(f"  {'directory':<22} {'tests':>6} {'test-seconds':>13}")
    for directory, (count, seconds) in timing.per_dir.items():
        print(f"  {directory:<22} {count:>6} {seconds:>13.0f}")
    print("  slowest:")
    for seconds, name in timing.slowest:
        print(f"  {seconds:>7.1f} s  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="test paths (default: testpaths, i.e. tests/)")
    parser.add_argument("--workers", type=int, default=4, help="pytest -n (default 4)")
    parser.add_argument(
        "--compare", action="store_true", help="also run with TESTS_VERIFY_VIA_SCRIPT=1"
    )
    ns = parser.parse_args()
    inprocess = measure(ns.paths, ns.workers, via_script=False)
    report("in process", inprocess)
    if not ns.compare:
        if not ns.paths:
            verdict = "within" if inprocess.wall_s <= GOAL_S else "OVER"
            print(f"\ngoal: README test command <= {GOAL_S:.0f} s: {verdict}")
        return inprocess.code
    script = measure(ns.paths, ns.workers, via_script=True)
    report("via deploy-verify.sh (the old way)", script)
    ratio = script.wall_s / inprocess.wall_s if inprocess.wall_s else float("nan")
    print(
        f"\nwall: in process {inprocess.wall_s:.0f} s, via script {script.wall_s:.0f} s,"
        f" {ratio:.2f}x"
    )
    return inprocess.code or script.code


if __name__ == "__main__":
    sys.exit(main())
