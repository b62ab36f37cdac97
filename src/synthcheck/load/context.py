"""What the locust process knows: read from the same environment file and variables.

The harness starts locust with the resolved options in ``SYNTHCHECK_*`` variables
(the same names as its own flags), so the locustfile, its workers, and a locust run
by hand on another machine all build the same workload from the environment file.
Nothing here imports locust, so it is tested like any other module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from synthcheck.config import apply_overrides, load_environment
from synthcheck.config.errors import ConfigError
from synthcheck.config.model import Environment
from synthcheck.load.flags import LoadFlags
from synthcheck.load.gates import check_gates
from synthcheck.load.results import LoadPaths
from synthcheck.load.workload import Workload, build_workload
from synthcheck.options import resolve_settings
from synthcheck.secrets import KnownSecrets, Redactor

__all__ = ["RESULTS_ENV_VAR", "LoadContext", "context_from_environ"]

RESULTS_ENV_VAR = "SYNTHCHECK_LOAD_RESULTS"
PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class LoadContext:
    env: Environment
    flags: LoadFlags
    workload: Workload
    redactor: Redactor
    results_path: Path

    def check_host(self, host: str | None) -> str:
        """The target, once the safety gates let it through (ConfigError otherwise)."""
        target = (host or "").rstrip("/")
        if not target or target == "embedded":
            raise ConfigError(
                "--host",
                [
                    f"no target: environment {self.env.name!r} has base_url"
                    f" {self.env.base_url!r}; pass --host http://127.0.0.1:PORT"
                ],
            )
        check_gates(self.env, self.flags, target)
        return target


def context_from_environ(environ: Mapping[str, str] | None = None) -> LoadContext:
    environ = os.environ if environ is None else environ
    settings = resolve_settings(lambda dest: None, PROJECT_ROOT, environ)
    env = load_environment(settings.env, settings.env_dir, environ=environ)
    env = apply_overrides(env, budgets=settings.budgets, environ=environ)
    results = environ.get(RESULTS_ENV_VAR) or str(LoadPaths.under(settings.reports_dir).results)
    return LoadContext(
        env=env,
        flags=settings.load,
        workload=build_workload(env, settings.load, settings.budgets),
        redactor=Redactor(KnownSecrets.from_environ(env.secret_env, environ)),
        results_path=Path(results),
    )
