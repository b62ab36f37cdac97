"""``--env=local``: start the reference service on a free loopback port for this run.

The embedded service runs with the verifier's FRED/Alpha Vantage keys, or, when
those are unset, with throwaway keys generated for this run: the key-leak checks
then have real values to look for, and no real key is ever needed locally. What the
rest of the run needs to know about it (URLs, keys, log file) is returned as a
:class:`~synthcheck.config.run_context.RunContext`, never written to ``os.environ``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import string
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from synthcheck.config.model import DEFAULT_SECRET_ENV
from synthcheck.config.precedence import variable
from synthcheck.config.run_context import RunContext

if TYPE_CHECKING:
    from synthcheck.reference import RunningService

__all__ = ["begin_stop", "run_keys", "start_embedded"]

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _fred_key() -> str:
    return secrets.token_hex(16)  # FRED: 32 lower-case alphanumerics


def _alpha_vantage_key() -> str:
    alphabet = string.ascii_uppercase + string.digits  # Alpha Vantage: 16 upper-case alphanumerics
    return "".join(secrets.choice(alphabet) for _ in range(16))


def run_keys(environ: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keys the embedded service runs with, and the names of those generated here
    (unset or blank in ``environ``)."""
    keys, generated = {}, []
    # The reference service reads exactly the default names (FRED first, then Alpha
    # Vantage), so each gets a key of its provider's shape.
    makers = (_fred_key, _alpha_vantage_key)
    for name, make in zip(DEFAULT_SECRET_ENV, makers, strict=True):
        given = variable(environ, name)
        keys[name] = given if given is not None else make()
        if given is None:
            generated.append(name)
    return keys, generated


def _loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in _LOOPBACK


def start_embedded(
    faults: Sequence[str], environ: Mapping[str, str]
) -> tuple[RunningService, RunContext]:
    """Start the service; the context carries its URLs, its generated keys and its log."""
    from synthcheck.reference import start_reference_service

    keys, generated = run_keys(environ)
    upstream = variable(environ, "FRED_BASE_URL") or ""
    child_env = {
        **keys,
        # The embedded service talks to its own FRED stub unless the verifier points
        # it at another local upstream; it never reaches the real FRED.
        "FRED_BASE_URL": upstream if _loopback(upstream) else "",
        "REFERENCE_FAULTS": "",
    }
    log_dir = Path(tempfile.mkdtemp(prefix="synthcheck-reference-"))
    log_file = log_dir / "reference.log"
    service = start_reference_service(faults=list(faults), env=child_env, log_file=log_file)
    context = RunContext(
        base_url=service.base_url,
        upstream_url=service.upstream_url,
        keys={name: keys[name] for name in generated},
        log_path=str(log_file),
    )
    return service, context


def begin_stop(process: subprocess.Popen[str]) -> None:
    """Ask the embedded service to shut down now (SIGTERM to its process group) without
    waiting: called when the checks are done, so that its ~0.3 s shutdown overlaps the
    reports; ``RunningService.stop()`` at the end of the run then only waits for it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
