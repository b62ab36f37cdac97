"""``verify_inprocess`` leaves nothing behind: the next test in the worker sees the
process as it was (tests/support/inprocess.py).

The first test plants every kind of change a run makes and checks each one is undone;
the second runs the real verifier four times in one process, healthy and with a
fault in both orders, and checks that the results repeat and the state is unchanged
after each run.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.harness import TEST_KEYS, RunResult
from tests.support.inprocess import isolated_process_state, verify_inprocess


def _state() -> dict[str, Any]:
    return {
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "sys.path": list(sys.path),
        "sys.meta_path": list(sys.meta_path),
        "check modules": sorted(
            name for name in sys.modules if name.split(".")[0] in ("checks", "conftest")
        ),
        "root handlers": list(logging.getLogger().handlers),
        "root level": logging.getLogger().level,
        "SIGTERM": signal.getsignal(signal.SIGTERM),
        "stdout": sys.stdout,
        "stderr": sys.stderr,
    }


def test_every_change_inside_is_undone_and_the_output_captured(tmp_path: Path) -> None:
    before = _state()
    (tmp_path / "planted_check_module.py").write_text("VALUE = 1\n")
    named = logging.getLogger("synthcheck.test.planted")
    with isolated_process_state({"ONLY_THIS": "1"}, tmp_path) as captured:
        assert dict(os.environ) == {"ONLY_THIS": "1"}
        assert Path.cwd() == tmp_path.resolve()
        os.environ["SYNTHCHECK_BASE_URL"] = "http://127.0.0.1:1"
        sys.path.insert(0, str(tmp_path))
        sys.meta_path.append(object())  # type: ignore[arg-type]
        __import__("planted_check_module")
        logging.getLogger().addHandler(logging.NullHandler())
        logging.getLogger().setLevel(logging.DEBUG)
        named.addHandler(logging.NullHandler())
        signal.signal(signal.SIGTERM, lambda signum, frame: None)
        print("to stdout")
        print("to stderr", file=sys.stderr)
    assert _state() == before
    assert "planted_check_module" not in sys.modules
    assert named.handlers == []
    assert (captured.stdout, captured.stderr) == ("to stdout\n", "to stderr\n")


def test_state_is_restored_even_when_the_body_raises(tmp_path: Path) -> None:
    def crashing_run() -> None:
        with isolated_process_state({}, tmp_path):
            os.environ["FRED_BASE_URL"] = "http://127.0.0.1:1"
            raise RuntimeError("a crashing run")

    before = _state()
    with pytest.raises(RuntimeError, match="a crashing run"):
        crashing_run()
    assert _state() == before


def _assert_healthy(run: RunResult) -> None:
    assert run.code == 0, run.output
    counts = run.summary["counts"]
    assert (counts["failed"], counts["error"], counts["warned"]) == (0, 0, 0), run.output
    assert counts["passed"] >= 20


def _assert_leak(run: RunResult) -> None:
    assert run.code == 1, run.output
    assert run.categories() == {"key_leak"}, run.output
    for value in TEST_KEYS.values():
        assert value[:8] not in run.output


@pytest.mark.slow
def test_runs_repeat_in_both_orders_and_leave_the_process_as_it_was(tmp_path: Path) -> None:
    before = _state()
    sequence = ["healthy", "leak_body", "healthy", "leak_body"]
    for n, case in enumerate(sequence):
        fault = [] if case == "healthy" else [f"--reference-fault={case}"]
        run = verify_inprocess("--env=local", *fault, reports=tmp_path / f"{n}-{case}")
        _assert_healthy(run) if case == "healthy" else _assert_leak(run)
        assert _state() == before, f"after run {n} ({case})"
        assert "SYNTHCHECK_BASE_URL" not in os.environ
