"""The service's own log: one line per request plus app events.

Every line passes through `Settings.mask` before it is written, so a healthy
service never logs a key; the `leak_log` fault appends to a line *after*
masking, which is exactly the bug it simulates.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

Masker = Callable[[str], str]


def utc_now_iso() -> str:
    """ISO-8601 UTC with millisecond precision and a `Z` suffix."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _format_value(value: object) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "='):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def format_fields(fields: dict[str, object]) -> str:
    return " ".join(f"{k}={_format_value(v)}" for k, v in fields.items() if v is not None)


class AppLog:
    """Line-oriented logfmt-style writer to a file (append) or stderr."""

    def __init__(self, path: Path | None = None, *, mask: Masker | None = None) -> None:
        self.path = path
        self._mask = mask or (lambda text: text)
        self._own_stream = path is not None
        self._stream: TextIO = (
            path.open("a", encoding="utf-8", buffering=1) if path is not None else sys.stderr
        )

    def set_mask(self, mask: Masker) -> None:
        self._mask = mask

    def line(self, level: str, event: str, fields: dict[str, object]) -> str:
        """Build a masked log line (without writing it)."""
        text = f"{utc_now_iso()} {level} {event}"
        rendered = format_fields(fields)
        if rendered:
            text = f"{text} {rendered}"
        return self._mask(text)

    def write(self, line: str) -> None:
        try:
            self._stream.write(line.rstrip("\n") + "\n")
            self._stream.flush()
        except (OSError, ValueError):
            # A closed or broken log sink must never take requests down.
            pass

    def event(self, level: str, event: str, **fields: object) -> None:
        self.write(self.line(level, event, fields))

    def close(self) -> None:
        if self._own_stream and not self._stream.closed:
            self._stream.close()
