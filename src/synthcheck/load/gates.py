"""Safety gates: a load run sends real traffic, so it needs consent off this machine.

- a target that is not local (127.0.0.0/8, ``localhost``, ``::1``) needs
  ``--allow-remote-load``;
- an environment marked ``production = true`` needs, in addition, the separate
  ``--confirm-production-load=<environment name>``.

A refusal is a usage error (exit 2) naming the flag. The same gates run in the
harness before anything is sent and again inside the locust process, so a hand-run
``locust -f loadtests/locustfile.py`` is held to them too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from synthcheck.config.errors import ConfigError
from synthcheck.config.load_flags import LoadFlags
from synthcheck.config.model import Environment
from synthcheck.load.workload import build_workload

__all__ = ["check_gates", "is_local", "load_mode", "vet_load_run"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_local(url: str) -> bool:
    """Loopback only: a private address is still somebody's server."""
    if url == "embedded":
        return True
    host = (urlsplit(url).hostname or "").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_mode(suite: str, flags: LoadFlags) -> str | None:
    """``"suite"`` for --suite=load/all, ``"smoke"`` for --smoke-load in postdeploy, else None."""
    if suite in ("load", "all"):
        return "suite"
    if suite == "postdeploy" and flags.smoke:
        return "smoke"
    return None


def check_gates(env: Environment, flags: LoadFlags, target: str) -> None:
    problems = []
    if not is_local(target) and not flags.allow_remote:
        host = urlsplit(target).hostname or target
        problems.append(
            f"--allow-remote-load: {host} is not on this machine and a load run sends it real"
            " traffic; pass --allow-remote-load (or SYNTHCHECK_ALLOW_REMOTE_LOAD=1) to confirm"
        )
    if env.production and flags.confirm_production != env.name:
        given = (
            f" ({flags.confirm_production!r} does not name it)" if flags.confirm_production else ""
        )
        problems.append(
            f"--confirm-production-load: environment {env.name!r} is production"
            f" (production = true in {env.source}); a load run also needs"
            f" --confirm-production-load={env.name} as a second, separate confirmation{given}"
        )
    if problems:
        raise ConfigError("load safety gate", problems)


def vet_load_run(
    env: Environment, suite: str, flags: LoadFlags, budgets: Mapping[str, float | int]
) -> None:
    """Refuse an unsafe or impossible load run (ConfigError, exit 2) before any traffic.

    Called when the run is set up: a bad profile, a cap exceeded, no endpoint to load or
    a closed safety gate stops it before the first request.
    """
    mode = load_mode(suite, flags)
    if mode is None:
        return
    build_workload(env, flags, budgets, smoke_only=mode == "smoke")
    check_gates(env, flags, env.base_url)
