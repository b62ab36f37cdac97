"""Read the service's log as the runbook does: the tail of a file, or a command's output.

``[logs] file = "/var/log/app.log"`` reads the last ``lines`` lines (at most
``max_bytes``) without loading the whole file; ``[logs] command = "docker logs --tail
1000 app"`` runs the command without a shell, with a time limit, keeping at most
``max_bytes`` of its combined output. ``${VAR}`` in either is expanded from the
environment when the check runs (the embedded service's log path is only known then).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from synthcheck.config.model import LogSettings

__all__ = ["LogSourceError", "LogSourceUnset", "LogText", "read_log"]

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TIMESTAMP = re.compile(
    r"^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
)
_CHUNK = 65536


class LogSourceError(Exception):
    """The configured log could not be read."""


class LogSourceUnset(LogSourceError):
    """The log source names a variable that is not set (e.g. no embedded service)."""


@dataclass(frozen=True)
class LogText:
    source: str  # "file /var/log/app.log" or "command docker logs --tail 1000 app"
    lines: list[str]
    truncated: bool  # older lines exist that were not read


def _expand(text: str, environ: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if not environ.get(name):
            raise LogSourceUnset(f"the log source uses ${{{name}}}, which is not set")
        return environ[name]

    return _VARIABLE.sub(value, text)


def _tail_file(path: Path, max_bytes: int) -> tuple[str, bool]:
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - max_bytes)
            handle.seek(start)
            data = handle.read(max_bytes)
    except OSError as exc:
        raise LogSourceError(f"cannot read log file {path}: {exc.strerror or exc}") from None
    text = data.decode("utf-8", errors="replace")
    if start > 0:
        text = text.split("\n", 1)[1] if "\n" in text else ""  # drop the cut-off first line
    return text, start > 0


def _run_command(command: str, max_bytes: int, timeout_s: float) -> tuple[str, bool]:
    args = shlex.split(command)
    try:
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise LogSourceError(f"cannot run log command {args[0]!r}: {exc.strerror}") from None
    timer = threading.Timer(timeout_s, process.kill)
    timer.start()
    kept = bytearray()
    truncated = False
    try:
        assert process.stdout is not None
        while chunk := process.stdout.read(_CHUNK):
            kept += chunk
            if len(kept) > max_bytes:
                del kept[: len(kept) - max_bytes]  # keep the newest bytes
                truncated = True
        code = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if code != 0 and not kept:
        raise LogSourceError(f"log command exited with status {code} and printed nothing")
    text = kept.decode("utf-8", errors="replace")
    if truncated and "\n" in text:
        text = text.split("\n", 1)[1]
    return text, truncated


def _since(lines: list[str], minutes: float, now: datetime) -> list[str]:
    """Drop lines whose leading timestamp (or the last one seen) is older than the cut."""
    cut = now - timedelta(minutes=minutes)
    kept: list[str] = []
    current: datetime | None = None
    for line in lines:
        match = _TIMESTAMP.match(line)
        if match is not None:
            try:
                stamp = datetime.fromisoformat(match.group(1).replace(",", "."))
                current = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
            except ValueError:
                pass
        if current is None or current >= cut:
            kept.append(line)
    return kept


def read_log(
    settings: LogSettings,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> LogText:
    environ = os.environ if environ is None else environ
    if settings.file:
        path = Path(_expand(settings.file, environ)).expanduser()
        text, truncated = _tail_file(path, settings.max_bytes)
        source = f"file {path}"
    elif settings.command:
        command = _expand(settings.command, environ)
        text, truncated = _run_command(command, settings.max_bytes, settings.timeout_s)
        source = f"command {command}"
    else:
        raise LogSourceUnset("the environment names no log source ([logs] file or command)")
    lines = text.splitlines()
    if len(lines) > settings.lines:
        lines, truncated = lines[-settings.lines :], True
    if settings.since_minutes is not None:
        lines = _since(lines, settings.since_minutes, now or datetime.now(UTC))
    return LogText(source, lines, truncated)
