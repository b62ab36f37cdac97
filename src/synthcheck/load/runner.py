"""Start locust as subprocesses, bound them in time, stop them cleanly.

Standalone: one headless locust process. ``--workers N``: locust's own distributed
mode on this machine, a master (bound to 127.0.0.1) and N worker processes, exactly
the commands the README shows for several machines. No home-made distribution.

Each process runs in its own session, so a Ctrl-C in the terminal reaches only the
harness, which then stops locust in order: SIGINT to the master (locust writes its
HTML report, fires ``quitting``, where the thresholds are judged and results.json is
written, and tells the workers to quit), then SIGTERM, then SIGKILL for anything
still there after a grace period. The same path runs when the run overstays its
profile's duration (a watchdog), so a load run always ends by itself.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from synthcheck.load.results import LoadPaths

__all__ = ["LocustJob", "LocustRun", "master_command", "run_locust", "worker_command"]

STARTUP_GRACE_S = 45.0  # imports, workers connecting, first spawn
STOP_GRACE_S = 20.0  # SIGINT → HTML report, quitting handler, workers told to quit
WORKER_WAIT_S = 30.0  # how long the master waits for its workers to connect
WORKER_EXIT_S = 10.0  # how long workers get to follow the master's "quit"


@dataclass(frozen=True)
class LocustJob:
    locustfile: Path
    host: str
    paths: LoadPaths
    environ: Mapping[str, str]  # the child's environment (SYNTHCHECK_* chosen by the caller)
    duration_s: float  # the profile's length: the watchdog allows this plus grace
    workers: int = 0
    python: str = sys.executable
    startup_grace_s: float = STARTUP_GRACE_S


@dataclass
class LocustRun:
    exit_code: int | None
    seconds: float
    interrupted: bool = False
    timed_out: bool = False
    log_tail: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def master_command(job: LocustJob, master_port: int | None) -> list[str]:
    command = [
        job.python, "-m", "locust", "-f", str(job.locustfile),
        "--headless", "--host", job.host, "--only-summary", "--loglevel", "INFO",
        "--csv", str(job.paths.csv_prefix), "--html", str(job.paths.html),
    ]  # fmt: skip
    if job.workers:
        command += [
            "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(master_port),
            "--expect-workers", str(job.workers),
            "--expect-workers-max-wait", str(int(WORKER_WAIT_S)),
        ]  # fmt: skip
    return command


def worker_command(job: LocustJob, master_port: int) -> list[str]:
    return [
        job.python, "-m", "locust", "-f", str(job.locustfile), "--worker",
        "--master-host", "127.0.0.1", "--master-port", str(master_port), "--loglevel", "INFO",
    ]  # fmt: skip


class _Output:
    """Copy a child's output to its log file (redacted), optionally echoing it."""

    def __init__(
        self,
        stream: IO[str],
        log: Path,
        redact: Callable[[str], str],
        echo: IO[str] | None,
    ) -> None:
        self.tail: collections.deque[str] = collections.deque(maxlen=40)
        self._thread = threading.Thread(
            target=self._pump, args=(stream, log, redact, echo), daemon=True, name="locust-output"
        )
        self._thread.start()

    def _pump(
        self, stream: IO[str], log: Path, redact: Callable[[str], str], echo: IO[str] | None
    ) -> None:
        with (
            stream,
            log.open("a", encoding="utf-8") as out,
            contextlib.suppress(OSError, ValueError),
        ):
            for raw in stream:
                line = redact(raw.rstrip("\n"))
                out.write(line + "\n")
                out.flush()
                self.tail.append(line)
                if echo is not None:
                    echo.write(line + "\n")
                    echo.flush()

    def join(self) -> None:
        self._thread.join(timeout=5.0)


def _spawn(
    command: Sequence[str],
    job: LocustJob,
    log: Path,
    redact: Callable[[str], str],
    echo: IO[str] | None,
) -> tuple[subprocess.Popen[str], _Output]:
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,  # locust reads keystrokes from a terminal stdin
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=dict(job.environ),
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,  # a terminal Ctrl-C reaches the harness only
    )
    assert process.stdout is not None
    return process, _Output(process.stdout, log, redact, echo)


def _signal(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _wait(process: subprocess.Popen[str], timeout: float) -> int | None:
    try:
        return process.wait(timeout=max(timeout, 0.0))
    except subprocess.TimeoutExpired:
        return None


def _stop(process: subprocess.Popen[str]) -> int:
    """SIGINT (locust's clean path, reports written), then SIGTERM, then SIGKILL."""
    for sig, grace in ((signal.SIGINT, STOP_GRACE_S), (signal.SIGTERM, 5.0)):
        if process.poll() is not None:
            break
        _signal(process, sig)
        if _wait(process, grace) is not None:
            break
    if process.poll() is None:
        _signal(process, signal.SIGKILL)
    return process.wait()


def run_locust(
    job: LocustJob,
    *,
    redact: Callable[[str], str] = lambda text: text,
    echo: IO[str] | None = None,
) -> LocustRun:
    """Run the job to its end (or the watchdog's, or Ctrl-C's); never raises KeyboardInterrupt."""
    job.paths.directory.mkdir(parents=True, exist_ok=True)
    port = _free_port() if job.workers else None
    started = time.monotonic()
    master, master_out = _spawn(master_command(job, port), job, job.paths.master_log, redact, echo)
    workers = []
    run = LocustRun(exit_code=None, seconds=0.0)
    try:
        for index in range(job.workers):
            assert port is not None
            workers.append(
                _spawn(worker_command(job, port), job, job.paths.worker_log(index), redact, None)
            )
        deadline = started + job.duration_s + job.startup_grace_s
        run.exit_code = _wait(master, deadline - time.monotonic())
        if run.exit_code is None:
            run.timed_out = True
            run.exit_code = _stop(master)
    except KeyboardInterrupt:
        run.interrupted = True
        try:
            run.exit_code = _stop(master)
        except KeyboardInterrupt:  # a second Ctrl-C: no more waiting
            _signal(master, signal.SIGKILL)
            run.exit_code = master.wait()
    finally:
        for process, _ in workers:
            # The master tells its workers to quit; anything left is stopped here.
            if _wait(process, WORKER_EXIT_S) is None:
                _stop(process)
        for _, output in [(master, master_out), *workers]:
            output.join()
    run.seconds = time.monotonic() - started
    run.log_tail = list(master_out.tail)
    return run
