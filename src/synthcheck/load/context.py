"""What the locust process knows: read from the same environment file and options.

The harness starts locust with its run context in ``$SYNTHCHECK_RUN_CONTEXT`` (the
options it resolved, where the results go, the embedded service's keys), so the
locustfile and its workers build the same workload from the environment file. A locust
run by hand (on another machine, say) has no context: its ``SYNTHCHECK_*`` variables,
the same names as the harness's flags, are the options then. Both go through the one
precedence (:mod:`synthcheck.config.precedence`). Nothing here imports locust, so it is
tested like any other module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from synthcheck.config import apply_overrides, load_environment
from synthcheck.config.errors import ConfigError
from synthcheck.config.load_flags import LoadFlags
from synthcheck.config.model import Environment
from synthcheck.config.options import resolve_settings
from synthcheck.config.precedence import Layers, Setting, resolve, variable
from synthcheck.config.run_context import RUN_CONTEXT_VAR, RunContext
from synthcheck.load.gates import check_gates
from synthcheck.load.results import LoadPaths
from synthcheck.load.workload import Workload, build_workload
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
    text = variable(environ, RUN_CONTEXT_VAR)
    run = RunContext.from_json(text) if text is not None else RunContext()
    environ = run.environ(environ)
    settings = resolve_settings(run.options.get, PROJECT_ROOT, environ)
    env = load_environment(settings.env, settings.env_dir, environ=environ)
    env = apply_overrides(env, budgets=settings.budgets, environ=environ)
    results = Setting(
        "results_path", RESULTS_ENV_VAR, str(LoadPaths.under(settings.reports_dir).results)
    )
    cli = {"results_path": run.results_path}
    return LoadContext(
        env=env,
        flags=settings.load,
        workload=build_workload(env, settings.load, settings.budgets),
        redactor=Redactor(KnownSecrets.from_environ(env.secret_env, environ)),
        results_path=Path(resolve(results, Layers(cli.get, environ)).value),
    )
