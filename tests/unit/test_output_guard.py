"""The harness's own output: redacted on the way out, pieces held back, leaks reported."""

from __future__ import annotations

import io
import sys

from synthcheck.catalog import Category
from synthcheck.reporting.output_guard import OutputGuard
from synthcheck.verdicts import Outcome

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


def test_without_holding_back_a_split_key_is_detected_and_fails_the_run() -> None:
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV, hold=False)
    _captured(guard, *(FRED[i : i + 7] for i in range(0, 32, 7)))
    assert {(leak.stream, leak.secret_name) for leak in guard.leaks} == {("stdout", "FRED_API_KEY")}
    result = guard.result()
    assert result is not None
    assert (result.id, result.category, result.outcome) == (
        "output.self_scan",
        Category.KEY_LEAK,
        Outcome.FAILED,
    )
    assert result.observed == "FRED_API_KEY (plain) on stdout"
    assert FRED[:8] not in result.message + result.observed
    err = io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        assert guard.settle(0) == 1
    finally:
        sys.stderr = saved
    assert "FAILED key_leak" in err.getvalue()
    assert FRED not in err.getvalue()


def test_a_key_split_at_the_pending_limit_is_detected_even_when_holding_back() -> None:
    # The planted leak of the end-to-end tests: a long line without a newline is let
    # out at 8 KiB, cutting a key in two pieces too short to redact on their own.
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    out = _captured(guard, "." * 8190 + FRED[:7], FRED[7:14] + "\n", flush_each=False)
    assert FRED[:14] in out
    assert [leak.secret_name for leak in guard.drain()] == ["FRED_API_KEY"]


def test_a_clean_run_has_no_output_finding() -> None:
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    _captured(guard, f"key={FRED}\n")
    assert guard.result() is None


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


def test_keys_the_run_generates_are_redacted_once_the_guard_knows_them() -> None:
    # --env=local generates the embedded service's keys after the guard is built;
    # the plugin hands them over (nothing is written into os.environ).
    guard = OutputGuard(["FRED_API_KEY"], environ={})
    assert _captured(guard, f"key={FRED}\n") == f"key={FRED}\n"
    guard.know({"FRED_API_KEY": FRED})
    assert _captured(guard, f"key={FRED}\n") == "key=[REDACTED:FRED_API_KEY]\n"


def test_a_key_set_in_the_environment_wins_over_a_generated_one() -> None:
    other = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    guard = OutputGuard(["FRED_API_KEY"], environ=ENV)
    guard.know({"FRED_API_KEY": other})
    assert _captured(guard, f"{FRED} {other}\n") == f"[REDACTED:FRED_API_KEY] {other}\n"
