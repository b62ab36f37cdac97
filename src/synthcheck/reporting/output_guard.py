"""The harness's own terminal output: redacted on the way out, then checked.

``synthcheck verify`` runs pytest inside an :class:`OutputGuard`. The guard replaces
``sys.stdout`` and ``sys.stderr`` with streams that pass every line through the run's
redaction step before it reaches the terminal (the keys are read from the
environment on each write, and ``--env=local`` hands over the keys it generates
mid-run with :meth:`OutputGuard.know`), and that
look at what actually went out, across write boundaries. A secret that still got
through (say, split over two flushed writes) makes the run fail: a message that
names the variable and never the value, and exit code 1.

The guard is handed to pytest as a plugin object (``pytest.main(plugins=[guard])``).
At the end of the run, after pytest's own output, the synthcheck plugin drains it
(:meth:`OutputGuard.result`): a failed ``output.self_scan`` check (``key_leak``) joins
the run's results before the summary is frozen, so the leak is in ``summary.json``,
the history, the incident draft and the metrics like any other.

It lives with the reports (the self-scan of ``reports/`` is its sibling,
``reporting/selfscan.py``): both check what the run itself wrote. The guard of one
``synthcheck verify`` run is built by :func:`synthcheck.verify.guard_for`.
"""

from __future__ import annotations

import contextlib
import io
import os
import string
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

from synthcheck.catalog import Category
from synthcheck.secrets import KnownSecrets, Redactor
from synthcheck.verdicts import CheckResult

__all__ = ["CHECK_ID", "OutputGuard", "OutputLeak", "output_leak_result"]

# Enough to hold any key in any encoding, so a secret split over two writes is seen.
_TAIL = 1024
_PENDING_MAX = 8192
# Characters a key (plain, base64, percent, \\u or &#-escaped) is written with. On a
# flush, a trailing run of them is held back until the next write: a key printed in
# pieces is then redacted whole, while progress dots and "[ 57%]" still show at once.
_KEYLIKE = frozenset(string.ascii_letters + string.digits + "+/=_-%\\&#;")
_HOLD_MAX = 256
CHECK_ID = "output.self_scan"


@dataclass(frozen=True)
class OutputLeak:
    stream: str  # "stdout" | "stderr"
    secret_name: str
    encoding: str


class _GuardedStream(io.TextIOBase):
    """A text stream that redacts whole lines (or flushed pieces) before writing."""

    def __init__(self, target: TextIO, name: str, guard: OutputGuard, *, hold: bool) -> None:
        super().__init__()
        self._target = target
        self._name = name
        self._guard = guard
        self._hold = hold
        self._pending = ""
        self._tail = ""

    # what callers look at
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._target, "errors", None)

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            head, _, self._pending = self._pending.rpartition("\n")
            self._emit(head + "\n")
        if len(self._pending) > _PENDING_MAX:
            self._emit(self._pending)
            self._pending = ""
        return len(text)

    def flush(self) -> None:
        if self._pending:
            cut = self._held_from(self._pending) if self._hold else len(self._pending)
            self._emit(self._pending[:cut])
            self._pending = self._pending[cut:]
        self._target.flush()

    def close_out(self) -> None:
        """Write everything still held (end of run)."""
        if self._pending:
            self._emit(self._pending)
            self._pending = ""
        self._target.flush()

    @staticmethod
    def _held_from(text: str) -> int:
        cut = len(text)
        floor = max(0, cut - _HOLD_MAX)
        while cut > floor and text[cut - 1] in _KEYLIKE:
            cut -= 1
        return cut

    def _emit(self, text: str) -> None:
        if not text:
            return
        redactor = self._guard.redactor()
        try:
            clean = redactor.redact(text)
        except Exception:  # never let a scanning bug print a secret instead
            clean = "[synthcheck: output withheld, redaction failed]\n"
        window = self._tail + clean
        for hit in redactor.hits(window):
            if hit.end > len(self._tail):
                self._guard.leaks.add(OutputLeak(self._name, hit.secret_name, hit.encoding))
        self._tail = window[-_TAIL:]
        self._target.write(clean)


class OutputGuard:
    """Context manager: redact and watch ``sys.stdout``/``sys.stderr`` for a run."""

    def __init__(
        self,
        secret_names: Sequence[str],
        environ: Mapping[str, str] | None = None,
        *,
        hold: bool = True,
    ) -> None:
        self._hold = hold
        self._names = tuple(dict.fromkeys(secret_names))
        self._environ = os.environ if environ is None else environ
        self._generated: dict[str, str] = {}
        self._values: tuple[str, ...] | None = None
        self._redactor = Redactor()
        self.leaks: set[OutputLeak] = set()
        self._saved: tuple[TextIO, TextIO] | None = None
        self._streams: tuple[_GuardedStream, ...] = ()

    def know(self, generated: Mapping[str, str]) -> None:
        """Keys the run generated (the embedded service's): secrets where unset."""
        self._generated.update(generated)

    def _keys(self) -> dict[str, str]:
        merged = dict(self._generated)
        merged.update((k, v) for k, v in self._environ.items() if v.strip())
        return merged

    def redactor(self) -> Redactor:
        """The redactor for the keys set right now (rebuilt when one changes)."""
        keys = self._keys()
        values = tuple(keys.get(name, "") for name in self._names)
        if values != self._values:
            self._values = values
            self._redactor = Redactor(KnownSecrets.from_environ(self._names, keys))
        return self._redactor

    def __enter__(self) -> OutputGuard:
        self._saved = (sys.stdout, sys.stderr)
        self._streams = (
            _GuardedStream(sys.stdout, "stdout", self, hold=self._hold),
            _GuardedStream(sys.stderr, "stderr", self, hold=self._hold),
        )
        sys.stdout, sys.stderr = self._streams
        return self

    def drain(self) -> list[OutputLeak]:
        """Write out what the streams still hold, then every leak seen so far."""
        for stream in self._streams:
            with contextlib.suppress(OSError, ValueError):
                stream.close_out()
        return sorted(self.leaks, key=str)

    def result(self) -> CheckResult | None:
        """The leaks seen so far as a failed ``output.self_scan`` check (None: no leak)."""
        leaks = self.drain()
        return output_leak_result(leaks) if leaks else None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._saved is not None
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, _GuardedStream):
                with contextlib.suppress(OSError, ValueError):
                    stream.close_out()
        sys.stdout, sys.stderr = self._saved

    def settle(self, code: int) -> int:
        """After the run: report leaks (never the values) and turn a pass into exit 1.

        The leaks seen before the summary was frozen are in it already; this also
        covers the few lines written after (the run's summary, the CLI's notes)."""
        if not self.leaks:
            return code
        names = sorted({leak.secret_name for leak in self.leaks})
        streams = sorted({leak.stream for leak in self.leaks})
        print(
            f"synthcheck: FAILED key_leak: a known secret ({', '.join(names)}) reached this"
            f" run's own {' and '.join(streams)}; treat it as exposed (runbook: api-key-exposure)",
            file=sys.stderr,
        )
        return 1 if code == 0 else code


def output_leak_result(leaks: Sequence[OutputLeak]) -> CheckResult:
    """Leaks of the run's own stdout/stderr as a failed ``key_leak`` check."""
    names = sorted({leak.secret_name for leak in leaks})
    places = sorted({f"{leak.secret_name} ({leak.encoding}) on {leak.stream}" for leak in leaks})
    return CheckResult.failed(
        Category.KEY_LEAK,
        f"a known secret ({', '.join(names)}) reached the harness's own output;"
        " treat it as exposed and rotate it",
        id=CHECK_ID,
        budget="no known secret in the run's stdout or stderr",
        observed="; ".join(places),
        details=places,
        metrics={"places": len(places)},
    )
