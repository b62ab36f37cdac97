"""Start and stop the reference service as a subprocess from other Python code.

The child runs `python -m synthcheck.reference --port 0 --watch-stdin ...` in
its own process group.  We wait for its single `READY app=... upstream=...`
stdout line, then keep draining stdout in a daemon thread; stderr goes to a
temporary file, so the child can never block on a full pipe and a failed
start can report the stderr tail.  `--watch-stdin` makes the child exit if
this process dies without calling stop() (its stdin pipe then reaches EOF).
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

_SRC_DIR = Path(__file__).resolve().parents[2]  # .../src, so the child imports this code
_EOF = object()


class ReferenceServiceError(RuntimeError):
    """The service did not start, or a control request to it failed."""

    def __init__(
        self, message: str, *, returncode: int | None = None, stderr_tail: str = ""
    ) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


@dataclass
class _ProcessIO:
    """Mutable bookkeeping behind the frozen RunningService."""

    stderr_path: Path
    stdout_tail: collections.deque[str] = field(
        default_factory=lambda: collections.deque(maxlen=200)
    )
    reader: threading.Thread | None = None
    stderr_text: str | None = None  # kept after stop(), when the temp file is gone


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class RunningService:
    base_url: str  # "http://127.0.0.1:PORT"
    upstream_url: str
    process: subprocess.Popen[str]
    log_file: Path | None
    _io: _ProcessIO | None = field(default=None, repr=False, compare=False)

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM the process group, SIGKILL after `timeout`; idempotent; the exit code."""
        process = self.process
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        _signal_group(process, signal.SIGKILL)  # anything left in the group
        self._close_io()
        return int(process.returncode)

    def stderr(self) -> str:
        """The child's stderr so far (the service log too, unless --log-file was given)."""
        if self._io is None:
            return ""
        if self._io.stderr_text is not None:
            return self._io.stderr_text
        try:
            return self._io.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stdout_lines(self) -> list[str]:
        return list(self._io.stdout_tail) if self._io is not None else []

    def set_faults(self, spec: str) -> None:
        """Replace the active faults (`""` clears); needs the service started with admin=True."""
        try:
            with httpx.Client(trust_env=False, timeout=5.0) as client:
                response = client.put(f"{self.base_url}/__faults__", content=spec.encode())
        except httpx.HTTPError as exc:
            raise ReferenceServiceError(f"could not reach the fault admin endpoint: {exc}") from exc
        if response.status_code == 404:
            raise ReferenceServiceError(
                "fault admin is not enabled: start the service with admin=True"
            )
        if response.status_code != 200:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise ReferenceServiceError(f"set_faults({spec!r}) failed: {message}")

    def _close_io(self) -> None:
        io = self._io
        if io is not None and io.reader is not None:
            # The child is gone, so the reader sees EOF; join before closing its pipe.
            io.reader.join(timeout=2.0)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if io is None:
            return
        if io.stderr_text is None:
            io.stderr_text = self.stderr()
            with contextlib.suppress(OSError):
                io.stderr_path.unlink()


def _signal_group(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _child_env(env: Mapping[str, str] | None, faults: Sequence[str]) -> dict[str, str]:
    child = dict(os.environ)
    if not faults and not (env and "REFERENCE_FAULTS" in env):
        # A stray REFERENCE_FAULTS in the caller's environment must not silently
        # break a run that asked for no faults.
        child.pop("REFERENCE_FAULTS", None)
    child.update(env or {})
    child["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_SRC_DIR), child.get("PYTHONPATH", "")) if p
    )
    child["PYTHONUNBUFFERED"] = "1"
    return child


def _command(
    faults: Sequence[str],
    app_version: str | None,
    log_file: Path | None,
    admin: bool,
    extra_args: Sequence[str],
) -> list[str]:
    command = [sys.executable, "-m", "synthcheck.reference", "--port", "0", "--watch-stdin"]
    for spec in faults:
        command += ["--fault", spec]
    if app_version is not None:
        command += ["--app-version", app_version]
    if log_file is not None:
        command += ["--log-file", str(log_file)]
    if admin:
        command.append("--enable-fault-admin")
    command += list(extra_args)
    return command


def _pump_stdout(stream: Any, lines: queue.Queue[object], io: _ProcessIO) -> None:
    """Forward lines until READY is seen, then keep draining so the pipe never fills."""
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            io.stdout_tail.append(line.rstrip("\n"))
            lines.put(line)
    lines.put(_EOF)


def _parse_ready(line: str) -> dict[str, str]:
    fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
    if "app" not in fields:  # --stub-only prints just upstream=
        fields["app"] = fields.get("upstream", "")
    return fields


def start_reference_service(
    *,
    faults: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    app_version: str | None = None,
    log_file: Path | None = None,
    admin: bool = False,
    extra_args: Sequence[str] = (),
    startup_timeout: float = 15.0,
) -> RunningService:
    """Start the service; return once it printed READY (or raise ReferenceServiceError)."""
    handle, stderr_name = tempfile.mkstemp(prefix="synthcheck-reference-", suffix=".stderr")
    io = _ProcessIO(stderr_path=Path(stderr_name))
    try:
        process = subprocess.Popen(
            _command(faults, app_version, log_file, admin, extra_args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=handle,
            env=_child_env(env, faults),
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            start_new_session=True,  # own process group: stop() signals the whole group
        )
    finally:
        os.close(handle)  # the child holds its own copy
    lines: queue.Queue[object] = queue.Queue()
    io.reader = threading.Thread(
        target=_pump_stdout,
        args=(process.stdout, lines, io),
        daemon=True,
        name=f"reference-stdout-{process.pid}",
    )
    io.reader.start()
    service = RunningService("", "", process, log_file, io)
    deadline = time.monotonic() + startup_timeout
    while True:
        try:
            item = lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            code = service.stop(timeout=2.0)
            raise ReferenceServiceError(
                f"reference service printed no READY line within {startup_timeout:g} s "
                f"(exit code {code}); stderr tail:\n{_tail(service.stderr())}",
                returncode=code,
                stderr_tail=_tail(service.stderr()),
            ) from None
        if item is _EOF:
            code = service.stop(timeout=2.0)
            raise ReferenceServiceError(
                f"reference service exited before READY (exit code {code}); "
                f"stderr tail:\n{_tail(service.stderr())}",
                returncode=code,
                stderr_tail=_tail(service.stderr()),
            )
        line = str(item).strip()
        if line.startswith("READY "):
            fields = _parse_ready(line)
            return RunningService(fields["app"], fields.get("upstream", ""), process, log_file, io)


@contextlib.contextmanager
def reference_service(**kwargs: Any) -> Iterator[RunningService]:
    """`start_reference_service(**kwargs)`, stopped on exit (exceptions included)."""
    service = start_reference_service(**kwargs)
    try:
        yield service
    finally:
        service.stop()
