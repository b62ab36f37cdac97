"""Run the real verifier (``synthcheck verify``) inside this process, as a user would.

:func:`verify_inprocess` is :func:`tests.support.harness.deploy_verify` without the
new Python process: the same arguments (those of ``deploy-verify.sh``), the same
checks in ``checks/``, the same embedded reference service (a subprocess of its own,
started and stopped by the run, exactly as in production), the same reports, and the
same :class:`~tests.support.harness.RunResult` (summary.json validated against its
schema, categories, stdout/stderr). What it saves is the verifier's own start-up:
a Python interpreter plus pytest and its plugins, about a second of wall time and
most of the CPU a healthy run costs (benchmarks/bench_tests.py).

A run changes process-wide state, and the next test in this worker must not see any
of it. :func:`isolated_process_state` saves and restores everything a run touches:
``os.environ`` (replaced whole by the harness's environment for the run), the working
directory, ``sys.path`` and ``sys.meta_path`` (pytest's ``pythonpath`` and assertion
rewriting), the modules imported from the check suites (pytest's importlib mode would
otherwise hand the next run the same module objects), the root and named loggers'
handlers, the SIGTERM handler ``synthcheck verify`` installs, and ``sys.stdout`` /
``sys.stderr`` (the run's output is captured, through the run's own output guard, into
the result). Garbage the caller's process already holds is collected before the run,
so the run's pytest does not report a stray ``ResourceWarning`` of an earlier test as
its own. tests/integration/test_inprocess_isolation.py proves it.
"""

from __future__ import annotations

import gc
import io
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.harness import ROOT, RunResult, base_environ, deploy_verify

__all__ = ["VIA_SCRIPT", "Captured", "isolated_process_state", "verify_inprocess"]

VIA_SCRIPT = "TESTS_VERIFY_VIA_SCRIPT"

# Modules a run may import that belong to the interpreter, the venv or the product;
# they stay loaded (dropping them would leave two copies of a class alive).
_LIBRARY_ROOTS = tuple(
    {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    | {str(ROOT / "src")}
)


@dataclass
class Captured:
    """What a run wrote to ``sys.stdout`` and ``sys.stderr``."""

    stdout: str = ""
    stderr: str = ""


def _stream() -> io.TextIOWrapper:
    # A real text stream (encoding, isatty, fileno raises): what pytest's terminal
    # writer and the output guard expect of a console.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", errors="replace")


def _is_library(name: str, module: Any) -> bool:
    file = getattr(module, "__file__", None)
    if not file:  # a built-in module, or a namespace package made for a check directory
        return name.split(".")[0] in sys.stdlib_module_names
    return str(Path(file).resolve()).startswith(_LIBRARY_ROOTS)


def _logger_handlers() -> dict[str, list[logging.Handler]]:
    loggers: dict[str, list[logging.Handler]] = {"": list(logging.getLogger().handlers)}
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            loggers[name] = list(logger.handlers)
    return loggers


def _restore_loggers(saved: dict[str, list[logging.Handler]], root_level: int) -> None:
    logging.getLogger().handlers[:] = saved[""]
    logging.getLogger().setLevel(root_level)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.handlers[:] = saved.get(name, [])


@contextmanager
def isolated_process_state(environ: Mapping[str, str], cwd: Path) -> Iterator[Captured]:
    """Run the body with ``environ`` as the whole environment, in ``cwd``, its output
    captured; on the way out put every piece of process state back as it was."""
    # Garbage this process already holds (say, a Popen of an earlier test that timed
    # out) is collected now, under the caller's hooks: left for later, the run's own
    # pytest would collect it at its end and count it as the run's unraisable error.
    gc.collect()
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_path, saved_meta_path = list(sys.path), list(sys.meta_path)
    saved_modules = set(sys.modules)
    saved_loggers, root_level = _logger_handlers(), logging.getLogger().level
    saved_sigterm = signal.getsignal(signal.SIGTERM)
    saved_out, saved_err = sys.stdout, sys.stderr
    out, err = _stream(), _stream()
    captured = Captured()
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    sys.stdout, sys.stderr = out, err
    try:
        yield captured
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
        captured.stdout, captured.stderr = _text(out), _text(err)
        signal.signal(signal.SIGTERM, saved_sigterm)
        _restore_loggers(saved_loggers, root_level)
        for name in set(sys.modules) - saved_modules:
            if not _is_library(name, sys.modules[name]):
                del sys.modules[name]
        sys.path[:], sys.meta_path[:] = saved_path, saved_meta_path
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environ)


def verify_inprocess(*args: str, reports: Path, environ: dict[str, str] | None = None) -> RunResult:
    """``deploy-verify.sh ARGS --reports-dir=REPORTS`` in this process (see the module).

    With ``TESTS_VERIFY_VIA_SCRIPT=1`` in the environment every call runs the script in
    a new process instead (``deploy_verify``): the same tests, the old way, to compare
    (``benchmarks/bench_tests.py --compare``) or to rule the in-process path out."""
    from synthcheck.cli import main

    if os.environ.get(VIA_SCRIPT) == "1":
        return deploy_verify(*args, reports=reports, environ=environ)
    environ = dict(environ or base_environ())
    # Each run keeps its own history unless the test says otherwise.
    environ.setdefault("SYNTHCHECK_HISTORY", str(reports / "history.sqlite"))
    command = ["verify", f"--reports-dir={reports}", *args]
    started = time.monotonic()
    with isolated_process_state(environ, ROOT) as captured:
        code = main(command)
    return RunResult(code, captured.stdout, captured.stderr, time.monotonic() - started, reports)
