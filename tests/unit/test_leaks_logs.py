"""The log source (file tail, command, ${VAR}) and the log verdict (keys, top error lines)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from synthcheck.config.model import LogSettings
from synthcheck.leaks import LeakScanner
from synthcheck.logsource import LogSourceError, LogSourceUnset, LogText, read_log
from synthcheck.secrets import Secret
from synthcheck.verdicts import Outcome
from synthcheck.verdicts.logs import error_lines, keys_in_log, normalise

FRED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
SCANNER = LeakScanner([Secret("FRED_API_KEY", FRED)])


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def test_file_tail_reads_the_last_lines_and_expands_variables(tmp_path: Path) -> None:
    log = _write(tmp_path / "app.log", [f"line {i}" for i in range(50)])
    settings = LogSettings(file="${APP_LOG}", lines=10)
    text = read_log(settings, {"APP_LOG": str(log)})
    assert text.lines == [f"line {i}" for i in range(40, 50)]
    assert text.truncated
    assert text.source == f"file {log}"


def test_max_bytes_drops_the_cut_first_line(tmp_path: Path) -> None:
    log = _write(tmp_path / "app.log", ["x" * 100, "keep me", "and me"])
    text = read_log(LogSettings(file=str(log), max_bytes=1024), {})
    assert text.lines == ["x" * 100, "keep me", "and me"]
    short = read_log(LogSettings(file=str(log), max_bytes=10), {})
    assert short.lines == ["and me"]
    assert short.truncated


def test_unset_variable_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LogSourceUnset, match=r"\$\{APP_LOG\}"):
        read_log(LogSettings(file="${APP_LOG}"), {})
    with pytest.raises(LogSourceError, match="cannot read log file"):
        read_log(LogSettings(file=str(tmp_path / "missing.log")), {})


def test_command_output_is_read_without_a_shell() -> None:
    code = "import sys; print('ERROR boom'); print('ok', file=sys.stderr)"
    text = read_log(LogSettings(command=f'{sys.executable} -c "{code}"'), {})
    assert text.lines == ["ERROR boom", "ok"]
    assert text.source.startswith("command ")


def test_command_is_killed_at_its_time_limit() -> None:
    command = f"{sys.executable} -c \"import time; print('started', flush=True); time.sleep(30)\""
    started = datetime.now(UTC)
    text = read_log(LogSettings(command=command, timeout_s=1.0), {})
    assert (datetime.now(UTC) - started).total_seconds() < 20
    assert text.lines == ["started"]


def test_failing_command_without_output_is_an_error() -> None:
    with pytest.raises(LogSourceError, match="exited with status 3"):
        read_log(LogSettings(command=f'{sys.executable} -c "raise SystemExit(3)"'), {})


def test_since_minutes_keeps_recent_lines_and_their_continuations(tmp_path: Path) -> None:
    log = _write(
        tmp_path / "app.log",
        [
            "2024-05-01T10:00:00Z ERROR old failure",
            "2024-05-01T11:55:00Z ERROR recent failure",
            "  continuation of the recent one",
        ],
    )
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    text = read_log(LogSettings(file=str(log), since_minutes=30), {}, now=now)
    assert text.lines == [
        "2024-05-01T11:55:00Z ERROR recent failure",
        "  continuation of the recent one",
    ]


def test_error_lines_are_folded_and_counted() -> None:
    log = LogText(
        "file x",
        [
            "2024-05-01T12:00:01.120Z WARNING upstream_error url=x error=timeout id=7c9e6679-7425-40de-944b-e07fc1f90ae7",
            "2024-05-01T12:00:02.900Z WARNING upstream_error url=x error=timeout id=1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
            "2024-05-01T12:00:03.000Z INFO request status=200",
            "2024-05-01T12:00:04.000Z ERROR unhandled_error error=KeyError",
        ],
        False,
    )
    count, top = error_lines(log, str, 5)
    assert count == 3
    assert top == [
        "2x WARNING upstream_error url=x error=timeout id=<id>",
        "1x ERROR unhandled_error error=KeyError",
    ]
    assert normalise("2024-05-01 12:00:00 took 12.5 ms for deadbeef1234") == "took <n> ms for <hex>"


def test_a_key_in_the_log_fails_without_showing_it() -> None:
    log = LogText(
        "file /var/log/app.log", ["INFO start", f"INFO request upstream_url=?api_key={FRED}"], False
    )
    result = keys_in_log(log, SCANNER, SCANNER.mask, 5)
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "key_leak"
    assert result.message.startswith(
        "FRED_API_KEY (32 chars) in the service log (file /var/log/app.log"
    )
    assert result.details[0] == "line 2: FRED_API_KEY (32 chars)"
    assert all(FRED[:8] not in line for line in [result.message, *result.details])


def test_a_clean_log_passes_and_carries_the_error_lines_as_information() -> None:
    log = LogText(
        "file x",
        ["INFO ok", "ERROR db timeout after 5000 ms", "ERROR db timeout after 5012 ms"],
        True,
    )
    result = keys_in_log(log, SCANNER, SCANNER.mask, 5)
    assert result.outcome == Outcome.PASSED
    assert result.details == [
        "error lines (grep -i error | sort | uniq -c): 2",
        "2x ERROR db timeout after <n> ms",
    ]
    assert result.metrics["error_lines"] == 2
    assert "(older lines not read)" in result.message


def test_error_lines_with_secrets_are_masked() -> None:
    log = LogText("file x", [f"ERROR call failed for api_key={FRED[:16]}"], False)
    _, top = error_lines(log, SCANNER.mask, 5)
    assert FRED[:16] not in top[0]
    assert "[masked: FRED_API_KEY]" in top[0]
