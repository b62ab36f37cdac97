"""``--env=local``: start the reference service on a free loopback port for this run.

The embedded service runs with the verifier's FRED/Alpha Vantage keys, or, when
those are unset, with throwaway keys generated for this run: the key-leak checks
then have real values to look for, and no real key is ever needed locally.
"""

from __future__ import annotations

import os
import secrets
import string
import tempfile
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from synthcheck.reference import RunningService

__all__ = ["LOG_ENV_VAR", "ensure_run_keys", "start_embedded"]

LOG_ENV_VAR = "SYNTHCHECK_REFERENCE_LOG"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _fred_key() -> str:
    return secrets.token_hex(16)  # FRED: 32 lower-case alphanumerics


def _alpha_vantage_key() -> str:
    alphabet = string.ascii_uppercase + string.digits  # Alpha Vantage: 16 upper-case alphanumerics
    return "".join(secrets.choice(alphabet) for _ in range(16))


def ensure_run_keys(environ: MutableMapping[str, str]) -> list[str]:
    """Set throwaway keys for the unset key variables; returns the names it set."""
    generated = []
    for name, make in (("FRED_API_KEY", _fred_key), ("ALPHA_VANTAGE_API_KEY", _alpha_vantage_key)):
        if not environ.get(name, "").strip():
            environ[name] = make()
            generated.append(name)
    return generated


def _loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in _LOOPBACK


def start_embedded(
    faults: Sequence[str], environ: MutableMapping[str, str] | None = None
) -> RunningService:
    from synthcheck.reference import start_reference_service

    environ = os.environ if environ is None else environ
    ensure_run_keys(environ)
    child_env = {
        "FRED_API_KEY": environ["FRED_API_KEY"],
        "ALPHA_VANTAGE_API_KEY": environ["ALPHA_VANTAGE_API_KEY"],
        # The embedded service talks to its own FRED stub unless the verifier points
        # it at another local upstream; it never reaches the real FRED.
        "FRED_BASE_URL": environ.get("FRED_BASE_URL", "")
        if _loopback(environ.get("FRED_BASE_URL", ""))
        else "",
        "REFERENCE_FAULTS": "",
    }
    log_dir = Path(tempfile.mkdtemp(prefix="synthcheck-reference-"))
    log_file = log_dir / "reference.log"
    service = start_reference_service(faults=list(faults), env=child_env, log_file=log_file)
    environ[LOG_ENV_VAR] = str(log_file)
    return service
