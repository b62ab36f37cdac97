"""Starting, bounding and stopping locust: command lines, the watchdog, Ctrl-C.

A stand-in for locust (a shell script that waits for SIGINT like locust does) keeps
these fast; the real locust runs in tests/e2e/test_load_e2e.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from synthcheck.load import runner
from synthcheck.load.results import LoadPaths
from synthcheck.load.runner import LocustJob, master_command, run_locust, worker_command

CLEAN = """#!/usr/bin/env bash
trap 'echo "SIGINT: report written"; exit 0' INT
echo "started: $*"
while true; do sleep 0.05; done
"""
STUBBORN = """#!/usr/bin/env bash
trap '' INT
trap 'echo "SIGTERM"; exit 143' TERM
echo "started"
while true; do sleep 0.05; done
"""


def job(tmp_path: Path, program: str = CLEAN, **kw: object) -> LocustJob:
    fake = tmp_path / "fake-locust"
    fake.write_text(program)
    fake.chmod(0o755)
    defaults: dict[str, object] = {
        "locustfile": Path("loadtests/locustfile.py"),
        "host": "http://127.0.0.1:8000",
        "paths": LoadPaths.under(tmp_path / "reports"),
        "environ": dict(os.environ),
        "duration_s": 0.2,
        "python": str(fake),
        "startup_grace_s": 0.3,
    }
    defaults.update(kw)
    return LocustJob(**defaults)  # type: ignore[arg-type]


def test_standalone_command_is_headless_and_writes_reports(tmp_path: Path) -> None:
    command = master_command(job(tmp_path, python=sys.executable), None)
    assert command[:5] == [sys.executable, "-m", "locust", "-f", "loadtests/locustfile.py"]
    joined = " ".join(command)
    assert "--headless --host http://127.0.0.1:8000" in joined
    assert f"--csv {tmp_path}/reports/load/locust" in joined
    assert f"--html {tmp_path}/reports/load/report.html" in joined
    assert "--master" not in command


def test_distributed_commands_stay_on_loopback(tmp_path: Path) -> None:
    distributed = job(tmp_path, workers=2)
    master = " ".join(master_command(distributed, 5599))
    assert "--master --master-bind-host 127.0.0.1 --master-bind-port 5599" in master
    assert "--expect-workers 2" in master
    worker = " ".join(worker_command(distributed, 5599))
    assert "--worker --master-host 127.0.0.1 --master-port 5599" in worker
    assert "--host" not in worker  # the master hands its target to the workers


def test_the_watchdog_stops_an_overdue_run_cleanly(tmp_path: Path) -> None:
    run = run_locust(job(tmp_path))
    assert run.timed_out
    assert not run.interrupted
    assert run.exit_code == 0
    assert run.log_tail[-1] == "SIGINT: report written"
    log = (tmp_path / "reports" / "load" / "locust.log").read_text()
    assert log.startswith("started: -m locust -f loadtests/locustfile.py --headless")


def test_a_process_ignoring_sigint_is_terminated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "STOP_GRACE_S", 0.3)
    run = run_locust(job(tmp_path, STUBBORN))
    assert run.timed_out
    assert run.exit_code == 143
    assert run.log_tail[-1] == "SIGTERM"


def test_workers_start_with_their_own_logs_and_are_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "WORKER_EXIT_S", 0.2)  # the stand-in master never says "quit"
    run = run_locust(job(tmp_path, workers=2))
    directory = tmp_path / "reports" / "load"
    assert run.exit_code == 0
    for index in range(2):
        log = (directory / f"worker-{index}.log").read_text()
        assert "--worker --master-host 127.0.0.1" in log
        assert "SIGINT: report written" in log


def test_ctrl_c_stops_locust_cleanly_and_returns(tmp_path: Path) -> None:
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
    timer.start()
    run = run_locust(job(tmp_path, duration_s=30, startup_grace_s=30))
    timer.join()
    assert run.interrupted
    assert not run.timed_out
    assert run.exit_code == 0
    assert run.log_tail[-1] == "SIGINT: report written"
    assert run.seconds < 10


def test_output_is_redacted_before_it_is_written(tmp_path: Path) -> None:
    program = CLEAN.replace('echo "started: $*"', 'echo "key=sekret-value-123"')
    run = run_locust(job(tmp_path, program), redact=lambda t: t.replace("sekret-value-123", "***"))
    log = (tmp_path / "reports" / "load" / "locust.log").read_text()
    assert "sekret" not in log
    assert "key=***" in log
    assert run.exit_code == 0


def test_no_child_outlives_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "WORKER_EXIT_S", 0.2)
    run_locust(job(tmp_path, workers=1))
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path / "fake-locust")], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout.strip() == ""
