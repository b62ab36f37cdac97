"""The harness's own output: redacted on the way out, pieces held back, leaks reported."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from synthcheck.catalog import Category
from synthcheck.leaks.output import OutputGuard
from synthcheck.reporting import RunInfo, build_summary, write_summary
from synthcheck.secrets import Redactor
from synthcheck.verdicts import CheckResult

FRED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
ENV = {"FRED_API_KEY": FRED}


def _captured(guard: OutputGuard, *pieces: str, flush_each: bool = True) -> str:
    target = io.StringIO()
    saved = sys.stdout
    sys.stdout = target
    try:
        with guard:
            for piece in pieces:
                sys.stdout.write(piece)
                if flush_each:
                    sys.stdout.flush()
    finally:
        sys.stdout = saved
    return target.getvalue()


def test_lines_are_redacted_before_they_reach_the_stream() -> None:
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    out = _captured(guard, f"url=?api_key={FRED}&x=1\n", "progress ....")
    assert out == "url=?api_key=[REDACTED:FRED_API_KEY]&x=1\nprogress ...."
    assert not guard.leaks


def test_a_key_written_in_small_flushed_pieces_is_still_redacted() -> None:
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    pieces = ["key: ", *(FRED[i : i + 7] for i in range(0, 32, 7)), " done\n"]
    out = _captured(guard, *pieces)
    assert FRED[:8] not in out
    assert "[REDACTED:FRED_API_KEY]" in out
    assert not guard.leaks


def test_without_holding_back_a_split_key_is_detected_and_fails_the_run(tmp_path: Path) -> None:
    summary_path = tmp_path / "summary.json"
    passed = CheckResult.passed(Category.HEALTH, "ok")
    summary = build_summary(RunInfo("local", "http://x", "postdeploy", 0.0, 1.0), [passed])
    write_summary(summary_path, summary, Redactor())
    guard = OutputGuard(["FRED_API_KEY"], summary_path, environ=ENV, hold=False)
    _captured(guard, *(FRED[i : i + 7] for i in range(0, 32, 7)))
    assert {(leak.stream, leak.secret_name) for leak in guard.leaks} == {("stdout", "FRED_API_KEY")}
    err = io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        assert guard.settle(0) == 1
    finally:
        sys.stderr = saved
    assert "FAILED key_leak" in err.getvalue()
    assert FRED not in err.getvalue()
    written = json.loads(summary_path.read_text())
    assert written["outcome"] == "failed"
    assert written["rollback_recommended"] is True
    assert written["counts"]["failed"] == 1
    assert written["counts"]["total"] == 2
    assert written["checks"][0]["id"] == "output.self_scan"
    assert written["checks"][0]["category"] == "key_leak"
    assert FRED[:8] not in summary_path.read_text()


def test_keys_set_during_the_run_are_picked_up() -> None:
    env: dict[str, str] = {}
    guard = OutputGuard(["FRED_API_KEY"], environ=env)
    target = io.StringIO()
    saved = sys.stdout
    sys.stdout = target
    try:
        with guard:
            print("before")
            env["FRED_API_KEY"] = FRED  # --env=local generates keys mid-run
            print(f"after {FRED}")
    finally:
        sys.stdout = saved
    assert target.getvalue() == "before\nafter [REDACTED:FRED_API_KEY]\n"


def test_settle_keeps_other_exit_codes() -> None:
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    assert guard.settle(0) == 0
    assert guard.settle(2) == 2
